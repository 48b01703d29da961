// Per-record timelines (captured → queued → attempts → delivered/dead) and search by business or idempotency key.
import type { Database, Statement } from 'better-sqlite3';
import { mappingVersionField, recordColumns, toRecord, type OutboxRecord, type RecordRow } from './record.js';
import { holdsKey, keyHash } from './key-hash.js';
import { SendOutcomes } from './send-outcomes.js';
import { boundLimit } from './bound-limit.js';

export interface TimelineEvent {
  at: number;
  kind:
    | 'captured'
    | 'rejected'
    | 'queued'
    | 'attempt'
    | 'delivered'
    | 'dead'
    | 'replayed'
    | 'remapped'
    | 'discarded'
    | 'lease-expired'
    | 'compacted';
  detail: Record<string, unknown> | null;
}

export interface RecordTimeline {
  record: Omit<OutboxRecord, 'payload'>;
  events: TimelineEvent[];
}

export interface SearchQuery {
  /** Exact match or prefix of a business key (invoice number, file name…). */
  businessKey?: string;
  idempotencyKey?: string;
  limit: number;
}

const withoutPayload = recordColumns.replace('payload,', 'NULL AS payload,');

export class Timelines {
  private readonly byId: Statement;
  private readonly events: Statement;
  private readonly byBusinessKey: Statement;
  private readonly byIdempotencyKey: Statement;
  private readonly connections: Statement;
  private readonly compactedAt: Statement;
  private readonly outcomes: SendOutcomes;

  constructor(db: Database) {
    this.outcomes = new SendOutcomes(db);
    this.byId = db.prepare(`SELECT ${withoutPayload} FROM records WHERE id = ?`);
    this.compactedAt = db.prepare('SELECT compacted_at FROM records WHERE id = ?').pluck();
    this.events = db.prepare('SELECT at, kind, detail FROM record_events WHERE record_id = ? ORDER BY id');
    // Range on the business_key index: exact key and every key it prefixes.
    this.byBusinessKey = db.prepare(`
      SELECT ${withoutPayload} FROM records WHERE business_key >= ? AND business_key < ? ORDER BY business_key, id LIMIT ${boundLimit('?')}`);
    this.byIdempotencyKey = db.prepare(
      `SELECT ${withoutPayload} FROM records WHERE ${holdsKey('?', '?', '?')}`,
    );
    this.connections = db.prepare('SELECT DISTINCT connection FROM records');
  }

  timeline(id: number): RecordTimeline | undefined {
    const row = this.byId.get(id) as RecordRow | undefined;
    if (!row) return undefined;
    const { payload: _omitted, ...record } = toRecord(row);
    const stored = this.events.all(id) as {
      at: number;
      kind: TimelineEvent['kind'];
      detail: string | null;
    }[];
    const events: TimelineEvent[] = [{ at: row.created_at, kind: 'captured', detail: record.origin }];
    // A row rejected at capture was never queued for sending: it went straight to the dead letters.
    if (stored[0]?.kind !== 'rejected')
      events.push({
        at: row.created_at,
        kind: 'queued',
        detail: {
          idempotencyKey: row.idempotency_key,
          size: row.size,
          ...(record.origin?.[mappingVersionField] !== undefined
            ? { mappingVersion: record.origin[mappingVersionField] }
            : {}),
        },
      });
    for (const e of stored) {
      events.push({
        at: e.at,
        kind: e.kind,
        detail: e.detail === null ? null : (JSON.parse(e.detail) as Record<string, unknown>),
      });
    }
    // Delivered since schema 9: the send's outcome, shared by its records, with this record's receipt. Delivery is
    // the last step a record takes, so it follows every stored event.
    const delivered = this.outcomes.deliveredStep(id);
    if (delivered)
      events.push({
        at: delivered.at,
        kind: 'delivered',
        detail: { ...delivered.detail, receipt: record.receipt },
      });
    // Retention deleted the payload at that time (records compacted before schema 6: their settle time).
    const compactedAt = this.compactedAt.get(id) as number | null;
    if (compactedAt !== null) events.push({ at: compactedAt, kind: 'compacted', detail: null });
    return { record, events };
  }

  search(query: SearchQuery): Omit<OutboxRecord, 'payload'>[] {
    const rows: RecordRow[] = [];
    if (query.businessKey !== undefined && query.businessKey !== '') {
      rows.push(
        ...(this.byBusinessKey.all(
          query.businessKey,
          `${query.businessKey}\u{10FFFF}`,
          query.limit,
        ) as RecordRow[]),
      );
    }
    if (query.idempotencyKey !== undefined && query.idempotencyKey !== '') {
      // One indexed lookup per connection, by the key's hash (records_by_key_hash), confirmed by the key itself.
      for (const { connection } of this.connections.all() as { connection: string }[]) {
        const row = this.byIdempotencyKey.get(
          keyHash(connection, query.idempotencyKey),
          connection,
          query.idempotencyKey,
        ) as RecordRow | undefined;
        if (row && !rows.some((r) => r.id === row.id)) rows.push(row);
      }
    }
    return rows.slice(0, query.limit).map((row) => {
      const { payload: _omitted, ...record } = toRecord(row);
      return record;
    });
  }
}
