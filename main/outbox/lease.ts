// Hands out the oldest eligible head-of-key records for sending, and takes back leases that expired.
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { BatchStatement } from './chunked-statement.js';
import { RecordEvents } from './record-events.js';
import { commitWithoutFsync } from './relaxed-commit.js';
import { batchIdempotencyKey } from '../../connectors/core/batch-key.js';
import type { OutgoingRecord } from '../../connectors/core/destination.js';
import { apiVersionField, recordsWithPayloads } from './record.js';
import { boundLimit } from './bound-limit.js';

export interface LeaseRequest {
  connection: string;
  max: number;
  maxBytes: number;
  /** How long the sender may hold the records before they become eligible again. */
  leaseMs: number;
  /**
   * Lease one batch: fresh records get a batch key stored on them; a batch that was sent before and is due again is
   * leased whole, with exactly its open members, so a retry sends the same members under the same key.
   */
  batch?: boolean;
}

/** What is due now, without leasing it: lets a batching sender wait (linger) for a fuller batch. */
export interface ReadyPeek {
  /** Due heads, counted up to the requested limit. */
  count: number;
  /** When the earliest due head became due. */
  firstDueAt?: number;
  /** The earliest due head belongs to a batch that was sent before: resend it now, no lingering. */
  storedBatch: boolean;
}

export interface Lease {
  token: string;
  records: OutgoingRecord[];
  /** The batch's Idempotency-Key, for a batch lease. */
  batchKey?: string;
}

interface ReadyRow {
  id: number;
  idempotency_key: string;
  business_key: string | null;
  content_type: string;
  payload: Buffer;
  size: number;
  attempts: number;
  batch_key: string | null;
  api_version: string | null;
  key_site: string | null;
}

const readyColumns = `id, idempotency_key, business_key, content_type, payload, size, attempts, batch_key,
  json_extract(origin, '$.${apiVersionField}') AS api_version, key_site`;

type ReadyTuple = [
  number,
  string,
  string | null,
  string,
  Buffer,
  number,
  number,
  string | null,
  string | null,
  string | null,
];

/**
 * The ready queries return arrays (better-sqlite3's raw mode), made into objects here: the driver sets each column
 * of an object row through V8's slow property path, about 40 % of the cost of reading a 10-column row.
 */
function readyRows(tuples: unknown[]): ReadyRow[] {
  return (tuples as ReadyTuple[]).map(
    ([
      id,
      idempotency_key,
      business_key,
      content_type,
      payload,
      size,
      attempts,
      batch_key,
      api_version,
      key_site,
    ]) => ({
      id,
      idempotency_key,
      business_key,
      content_type,
      payload,
      size,
      attempts,
      batch_key,
      api_version,
      key_site,
    }),
  );
}

/** The key a record is sent with: prefixed by the site it was captured under (agent.siteId), if any. */
function sentKey(row: ReadyRow): string {
  return row.key_site === null ? row.idempotency_key : `${row.key_site}:${row.idempotency_key}`;
}

function toOutgoing(row: ReadyRow): OutgoingRecord {
  return {
    id: row.id,
    idempotencyKey: sentKey(row),
    businessKey: row.business_key,
    contentType: row.content_type,
    payload: row.payload,
    attempts: row.attempts + 1,
    ...(row.api_version === null ? {} : { apiVersion: String(row.api_version) }),
  };
}

/** A new batch: records not in a stored batch, all stored for the first one's API version (one request, one version). */
function freshOfOneVersion(ready: ReadyRow[]): ReadyRow[] {
  const fresh = ready.filter((r) => r.batch_key === null);
  const version = fresh[0]?.api_version ?? null;
  return fresh.filter((r) => (r.api_version ?? null) === version);
}

export class Leaser {
  private readonly expire: Statement;
  private readonly events: RecordEvents;
  private readonly ready: Statement;
  private readonly batchMembers: Statement;
  private readonly take: BatchStatement;
  private readonly nextDue: Statement;
  private readonly peek: Statement;
  private readonly releaseAll: Statement;
  private readonly run: (request: LeaseRequest, now: number) => Lease;

  constructor(db: Database) {
    this.expire = db.prepare(`
      UPDATE records SET state = 'pending', lease_token = NULL, lease_expires_at = NULL
      WHERE connection = ? AND state = 'leased' AND lease_expires_at <= ? RETURNING id`);
    this.events = new RecordEvents(db);
    // Only heads (blocked = 0) are in the records_ready index, so this is an index range scan of at most `max` rows.
    this.ready = db
      .prepare(
        `
      SELECT ${readyColumns} FROM ${recordsWithPayloads}
      WHERE connection = ? AND state = 'pending' AND blocked = 0 AND next_attempt_at <= ?
      ORDER BY next_attempt_at, id LIMIT ${boundLimit('?')}`,
      )
      .raw();
    this.batchMembers = db
      .prepare(
        `
      SELECT ${readyColumns} FROM ${recordsWithPayloads}
      WHERE connection = ? AND batch_key = ? AND settled_at IS NULL AND state = 'pending' ORDER BY id`,
      )
      .raw();
    // The same change for every record taken, 64 records per statement. OR FAIL, here and in the other batch
    // statements: no statement journal (see chunked-statement.ts); an error rolls the whole transaction back.
    this.take = new BatchStatement(
      db,
      (ids) => `
      UPDATE OR FAIL records SET state = 'leased', lease_token = @token, lease_expires_at = @expires, attempts = attempts + 1,
        batch_key = coalesce(batch_key, @batchKey)
      WHERE id IN (${ids})`,
    );
    this.nextDue = db.prepare(`
      SELECT min(next_attempt_at) AS due FROM records WHERE connection = ? AND state = 'pending' AND blocked = 0`);
    this.peek = db.prepare(`
      SELECT count(*) AS count, min(next_attempt_at) AS first,
        (SELECT batch_key IS NOT NULL FROM records WHERE connection = @connection AND state = 'pending' AND blocked = 0
           AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT 1) AS stored
      FROM (SELECT next_attempt_at FROM records WHERE connection = @connection AND state = 'pending' AND blocked = 0
              AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT ${boundLimit('@limit')})`);
    // Per connection, so it is a search of records_by_state rather than a scan of the whole table.
    this.releaseAll = db.prepare(`
      UPDATE records SET state = 'pending', lease_token = NULL, lease_expires_at = NULL
      WHERE connection = ? AND state = 'leased'`);
    const transaction = db.transaction((request: LeaseRequest, now: number): Lease => {
      for (const { id } of this.expire.all(request.connection, now) as { id: number }[]) {
        this.events.add(id, now, 'lease-expired');
      }
      const token = randomUUID();
      const ready = readyRows(this.ready.all(request.connection, now, request.max));
      const stored = request.batch ? ready[0]?.batch_key : undefined;
      const rows = stored
        ? readyRows(this.batchMembers.all(request.connection, stored))
        : this.withinBytes(request.batch ? freshOfOneVersion(ready) : ready, request.maxBytes);
      const batchKey = request.batch ? (stored ?? batchIdempotencyKey(rows.map(sentKey))) : undefined;
      if (rows.length > 0)
        this.take.run(
          rows.map((r) => r.id),
          { token, expires: now + request.leaseMs, batchKey: batchKey ?? null },
        );
      const records = rows.map(toOutgoing);
      return batchKey && records.length > 0 ? { token, records, batchKey } : { token, records };
    });
    // Leases need no fsync: start-up releases every lease, so a lease lost to a power cut changes nothing.
    this.run = (...args) => commitWithoutFsync(db, () => transaction.immediate(...args));
  }

  private withinBytes(rows: ReadyRow[], maxBytes: number): ReadyRow[] {
    let bytes = 0;
    let count = 0;
    for (const row of rows) {
      if (count > 0 && bytes + row.size > maxBytes) break;
      bytes += row.size;
      count += 1;
    }
    return rows.slice(0, count);
  }

  lease(request: LeaseRequest, now: number): Lease {
    return this.run(request, now);
  }

  peekReady(connection: string, limit: number, now: number): ReadyPeek {
    const row = this.peek.get({ connection, now, limit }) as {
      count: number;
      first: number | null;
      stored: number | null;
    };
    return {
      count: row.count,
      ...(row.first === null ? {} : { firstDueAt: row.first }),
      storedBatch: row.stored === 1,
    };
  }

  /** When the next head of this connection becomes due (ms since epoch), or undefined when nothing waits. */
  nextDueAt(connection: string): number | undefined {
    const row = this.nextDue.get(connection) as { due: number | null };
    return row.due ?? undefined;
  }

  /** At start-up, leases held by a previous (crashed) process are void: this process holds the data dir lock. */
  releaseOrphanedLeases(connections: readonly string[]): number {
    return connections.reduce(
      (released, connection) => released + this.releaseAll.run(connection).changes,
      0,
    );
  }
}
