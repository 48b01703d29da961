// The dead-letter queue: list records that failed permanently, replay them with the same key, or discard them.
import type { Database, Statement } from 'better-sqlite3';
import { RecordEvents } from './record-events.js';
import type { AuditLog } from './audit-log.js';
import type { OutboxCounters } from './counters.js';
import { recordColumns, recordsWithPayloads, toRecord, type OutboxRecord, type RecordRow } from './record.js';
import { OrderingQueues, requeueAtTail } from './ordering-queue.js';
import { boundLimit } from './bound-limit.js';

export interface DeadLetterQuery {
  connection: string;
  limit: number;
  /** Page after this record id (ascending ids: oldest first). */
  afterId?: number;
}

export interface DeadLetterActionResult {
  /** Ids that were dead and have been acted on. */
  done: number[];
  /** Ids left alone: not dead letters (already replayed, discarded, unknown), or rejected at capture and never sent. */
  skipped: number[];
}

export class DeadLetters {
  private readonly list: Statement;
  private readonly replayOne: Statement;
  private readonly discardOne: Statement;
  private readonly events: RecordEvents;
  private readonly replayTx: (
    ids: number[],
    actor: string,
    now: number,
  ) => { result: DeadLetterActionResult; rows: { connection: string; size: number }[] };
  private readonly discardTx: (
    ids: number[],
    actor: string,
    now: number,
  ) => { result: DeadLetterActionResult; rows: { connection: string; size: number }[] };

  constructor(
    db: Database,
    private readonly counters: OutboxCounters,
    audit: AuditLog,
  ) {
    this.list = db.prepare(
      `SELECT ${recordColumns} FROM ${recordsWithPayloads} WHERE connection = ? AND state = 'dead' AND id > ? ORDER BY id LIMIT ${boundLimit('?')}`,
    );
    // A record rejected at capture or by its mapping and never sent holds source data, not what the API expects:
    // replaying would send it as it is. It is fixed at the source, remapped (dlq remap) or discarded, never replayed.
    const rejectedUnsent = `records.attempts = 0 AND EXISTS (
      SELECT 1 FROM record_events e WHERE e.record_id = records.id AND e.kind = 'rejected')`;
    // A replayed record goes behind any open record of its ordering key, keeping at most one head per key. It leaves
    // its old batch (the server refused that batch, so it applied nothing): it is batched afresh, and a batch of the
    // same members gets the same derived key again.
    this.replayOne = db.prepare(`
      UPDATE records SET state = 'pending', next_attempt_at = ?, settled_at = NULL, last_error = NULL, batch_key = NULL,
        ${requeueAtTail}
      WHERE id = ? AND state = 'dead' AND NOT (${rejectedUnsent}) RETURNING connection, ordering_key, size`);
    this.discardOne = db.prepare(`
      UPDATE records SET state = 'discarded', settled_at = ? WHERE id = ? AND state = 'dead' RETURNING connection, ordering_key, size`);
    this.events = new RecordEvents(db);
    const queues = new OrderingQueues(db);
    type ActedRow = { connection: string; ordering_key: string; size: number };
    const act = (
      statement: Statement,
      kind: 'replayed' | 'discarded',
      args: (id: number, now: number) => unknown[],
      after?: (id: number, row: ActedRow) => void,
    ) =>
      db.transaction((ids: number[], actor: string, now: number) => {
        const result: DeadLetterActionResult = { done: [], skipped: [] };
        const rows: { connection: string; size: number }[] = [];
        // Ascending ids: replaying several dead records of one ordering key must keep their capture order.
        for (const id of [...ids].sort((a, b) => a - b)) {
          const row = statement.get(...args(id, now)) as ActedRow | undefined;
          if (!row) {
            result.skipped.push(id);
            continue;
          }
          after?.(id, row);
          rows.push(row);
          result.done.push(id);
          this.events.add(id, now, kind, { actor });
        }
        if (result.done.length > 0) {
          audit.record(now, actor, `dead-letter.${kind === 'replayed' ? 'replay' : 'discard'}`, null, {
            ids: result.done,
          });
        }
        return { result, rows };
      });
    const replay = act(
      this.replayOne,
      'replayed',
      (id, now) => [now, id],
      (id, row) => queues.opened(row.connection, row.ordering_key, id),
    );
    const discard = act(this.discardOne, 'discarded', (id, now) => [now, id]);
    this.replayTx = (ids, actor, now) => replay.immediate(ids, actor, now);
    this.discardTx = (ids, actor, now) => discard.immediate(ids, actor, now);
  }

  page(query: DeadLetterQuery): OutboxRecord[] {
    const rows = this.list.all(query.connection, query.afterId ?? 0, query.limit) as RecordRow[];
    return rows.map(toRecord);
  }

  /** Puts dead letters back in the queue with their original idempotency key, due now. */
  replay(ids: number[], actor: string, now: number): DeadLetterActionResult {
    const { result, rows } = this.replayTx(ids, actor, now);
    for (const row of rows) {
      this.counters.addDead(row.connection, -1);
      this.counters.addPending(row.connection, 1, row.size);
    }
    return result;
  }

  /** Gives up on dead letters for good; they stay searchable until retention removes them. */
  discard(ids: number[], actor: string, now: number): DeadLetterActionResult {
    const { result, rows } = this.discardTx(ids, actor, now);
    for (const row of rows) this.counters.addDead(row.connection, -1);
    return result;
  }
}
