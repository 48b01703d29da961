// Re-mapping dead letters the mapping rejected: they never went out, so they may still take a new payload.
import type { Database, Statement } from 'better-sqlite3';
import type { AuditLog } from './audit-log.js';
import type { OutboxCounters } from './counters.js';
import { RecordEvents } from './record-events.js';
import { apiVersionField, mappingVersionField, recordsWithPayloads } from './record.js';
import { OrderingQueues, requeueAtTail } from './ordering-queue.js';
import { boundLimit } from './bound-limit.js';

/** A dead letter the mapping rejected, with its source payload, ready to be mapped again. */
export interface RemapCandidate {
  id: number;
  contentType: string;
  payload: Buffer;
  origin: Record<string, string | number>;
}

export interface RemapRefusal {
  id: number;
  reason: string;
}

/** Which records of a request can be re-mapped. */
export interface RemapSelection {
  candidates: RemapCandidate[];
  /** Records that must keep their payload (they were sent before) or were not rejected by the mapping. */
  refused: RemapRefusal[];
  /** Ids that are not dead letters of the connection (unknown, replayed, discarded, delivered): left alone. */
  skipped: number[];
}

/** What the current mapping made of one candidate. */
export type RemapOutcome =
  | { id: number; kind: 'mapped'; payload: Buffer; version: number; apiVersion?: string }
  | { id: number; kind: 'failed'; reason: string; version: number };

export interface RemapApplied {
  /** Now pending with the new payload. */
  remapped: number[];
  /** Still dead, with the new reason. */
  stillFailing: number[];
  /** Changed by someone else meanwhile (replayed, discarded): left alone. */
  skipped: number[];
}

interface CandidateRow {
  id: number;
  connection: string;
  state: string;
  attempts: number;
  content_type: string;
  payload: Buffer | null;
  origin: string | null;
}

/** Which ids can be re-mapped, and why the others cannot. */
function classify(rows: Map<number, CandidateRow>, ids: number[], connection: string): RemapSelection {
  const selection: RemapSelection = { candidates: [], refused: [], skipped: [] };
  for (const id of ids) {
    const row = rows.get(id);
    if (!row || row.connection !== connection || row.state !== 'dead') {
      selection.skipped.push(id);
      continue;
    }
    const origin = row.origin === null ? {} : (JSON.parse(row.origin) as Record<string, string | number>);
    if (row.attempts > 0)
      selection.refused.push({
        id,
        reason:
          `record ${id} was sent before (${row.attempts} attempt${row.attempts === 1 ? '' : 's'}): it keeps the payload it was sent with, ` +
          'because one Idempotency-Key never carries two different payloads. Fix: `dlq replay` sends it again as it was',
      });
    else if (origin[mappingVersionField] === undefined || row.payload === null)
      selection.refused.push({
        id,
        reason: `record ${id} was rejected by the source, not by the mapping: re-mapping cannot fix it. Fix: correct the source file`,
      });
    else selection.candidates.push({ id, contentType: row.content_type, payload: row.payload, origin });
  }
  return selection;
}

export class Remaps {
  private readonly byIds: Statement;
  private readonly deadIds: Statement;
  private readonly toPending: Statement;
  private readonly queues: OrderingQueues;
  private readonly replacePayload: Statement;
  private readonly stillDead: Statement;
  private readonly events: RecordEvents;
  private readonly applyTx: (
    connection: string,
    outcomes: RemapOutcome[],
    actor: string,
    now: number,
    guard?: () => void,
  ) => { applied: RemapApplied; sizes: number[] };

  constructor(
    db: Database,
    private readonly counters: OutboxCounters,
    audit: AuditLog,
  ) {
    this.byIds = db.prepare(
      `SELECT id, connection, state, attempts, content_type, payload, origin FROM ${recordsWithPayloads}
       WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.deadIds = db
      .prepare(
        `SELECT id FROM records WHERE connection = ? AND state = 'dead' AND attempts = 0 AND id > ?
           AND json_extract(origin, '$.${mappingVersionField}') IS NOT NULL ORDER BY id LIMIT ${boundLimit('?')}`,
      )
      .pluck();
    // Like a replay, the record goes behind any open record of its ordering key; it leaves no batch behind.
    this.toPending = db.prepare(`
      UPDATE records SET size = @size, content_type = 'application/json', origin = @origin,
        state = 'pending', next_attempt_at = @now, settled_at = NULL, last_error = NULL, batch_key = NULL,
        ${requeueAtTail}
      WHERE id = @id AND connection = @connection AND state = 'dead' AND attempts = 0 RETURNING ordering_key`);
    // The one payload ever replaced: a record that never went out takes what the mapping makes of its source.
    this.replacePayload = db.prepare(`
      INSERT INTO record_payloads (record_id, payload) VALUES (@id, @payload)
      ON CONFLICT (record_id) DO UPDATE SET payload = excluded.payload`);
    this.stillDead = db.prepare(`
      UPDATE records SET last_error = @reason, origin = @origin, settled_at = @now
      WHERE id = @id AND connection = @connection AND state = 'dead' AND attempts = 0 RETURNING id`);
    this.events = new RecordEvents(db);
    this.queues = new OrderingQueues(db);
    const apply = db.transaction(
      (connection: string, outcomes: RemapOutcome[], actor: string, now: number, guard?: () => void) => {
        guard?.();
        const applied: RemapApplied = { remapped: [], stillFailing: [], skipped: [] };
        const sizes: number[] = [];
        const origins = this.originsOf(outcomes.map((o) => o.id));
        for (const outcome of [...outcomes].sort((a, b) => a.id - b.id)) {
          const before = origins.get(outcome.id) ?? {};
          const { [apiVersionField]: _earlier, ...rest } = before;
          // A re-mapped record is sent for the API version the destination declares now (it never went out).
          const apiVersion =
            outcome.kind === 'mapped' && outcome.apiVersion !== undefined
              ? { [apiVersionField]: outcome.apiVersion }
              : {};
          const origin = JSON.stringify({ ...rest, [mappingVersionField]: outcome.version, ...apiVersion });
          const from = before[mappingVersionField];
          const row = { id: outcome.id, connection, origin, now };
          if (outcome.kind === 'mapped') {
            const done = this.toPending.get({ ...row, size: outcome.payload.length }) as
              { ordering_key: string } | undefined;
            if (!done) {
              applied.skipped.push(outcome.id);
              continue;
            }
            this.queues.opened(connection, done.ordering_key, outcome.id);
            this.replacePayload.run({ id: outcome.id, payload: outcome.payload });
            applied.remapped.push(outcome.id);
            sizes.push(outcome.payload.length);
            this.events.add(outcome.id, now, 'remapped', {
              actor,
              fromMappingVersion: from,
              mappingVersion: outcome.version,
              size: outcome.payload.length,
            });
          } else if (this.stillDead.get({ ...row, reason: outcome.reason })) {
            applied.stillFailing.push(outcome.id);
            this.events.add(outcome.id, now, 'rejected', {
              reason: outcome.reason,
              mappingVersion: outcome.version,
              actor,
            });
          } else applied.skipped.push(outcome.id);
        }
        if (applied.remapped.length + applied.stillFailing.length > 0)
          audit.record(now, actor, 'dead-letter.remap', null, {
            remapped: applied.remapped,
            stillFailing: applied.stillFailing,
          });
        return { applied, sizes };
      },
    );
    this.applyTx = (...args) => apply.immediate(...args);
  }

  private originsOf(ids: number[]): Map<number, Record<string, string | number>> {
    const rows = this.byIds.all(JSON.stringify(ids)) as CandidateRow[];
    return new Map(
      rows.map((r) => [
        r.id,
        r.origin === null ? {} : (JSON.parse(r.origin) as Record<string, string | number>),
      ]),
    );
  }

  /** These records (or, without ids, the next `limit` the mapping rejected after `afterId`), sorted out. */
  select(
    connection: string,
    request: { ids: number[] } | { afterId: number; limit: number },
  ): RemapSelection {
    const ids =
      'ids' in request
        ? request.ids
        : (this.deadIds.all(connection, request.afterId, request.limit) as number[]);
    const rows = this.byIds.all(JSON.stringify(ids)) as CandidateRow[];
    return classify(new Map(rows.map((r) => [r.id, r])), ids, connection);
  }

  /** Stores the outcomes in one transaction: mapped records become pending, the others stay dead with the new reason. */
  apply(
    connection: string,
    outcomes: RemapOutcome[],
    actor: string,
    now: number,
    /** Runs first inside the write transaction; what it throws leaves everything as it was. */
    guard?: () => void,
  ): RemapApplied {
    const { applied, sizes } = this.applyTx(connection, outcomes, actor, now, guard);
    for (const size of sizes) {
      this.counters.addDead(connection, -1);
      this.counters.addPending(connection, 1, size);
    }
    return applied;
  }
}
