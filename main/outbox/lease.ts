// Hands out the oldest eligible head-of-key records for sending, and takes back leases that expired.
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { OutgoingRecord } from '../../connectors/core/destination.js';

export interface LeaseRequest {
  connection: string;
  max: number;
  maxBytes: number;
  /** How long the sender may hold the records before they become eligible again. */
  leaseMs: number;
}

export interface Lease {
  token: string;
  records: OutgoingRecord[];
}

interface ReadyRow {
  id: number;
  idempotency_key: string;
  business_key: string | null;
  content_type: string;
  payload: Buffer;
  size: number;
  attempts: number;
}

export class Leaser {
  private readonly expire: Statement;
  private readonly expiredEvent: Statement;
  private readonly ready: Statement;
  private readonly take: Statement;
  private readonly nextDue: Statement;
  private readonly releaseAll: Statement;
  private readonly run: (request: LeaseRequest, now: number) => Lease;

  constructor(db: Database) {
    this.expire = db.prepare(`
      UPDATE records SET state = 'pending', lease_token = NULL, lease_expires_at = NULL
      WHERE connection = ? AND state = 'leased' AND lease_expires_at <= ? RETURNING id`);
    this.expiredEvent = db.prepare(
      `INSERT INTO record_events (record_id, at, kind, detail) VALUES (?, ?, 'lease-expired', NULL)`,
    );
    // Only heads (blocked = 0) are in the records_ready index, so this is an index range scan of at most `max` rows.
    this.ready = db.prepare(`
      SELECT id, idempotency_key, business_key, content_type, payload, size, attempts FROM records
      WHERE connection = ? AND state = 'pending' AND blocked = 0 AND next_attempt_at <= ?
      ORDER BY next_attempt_at, id LIMIT ?`);
    this.take = db.prepare(`
      UPDATE records SET state = 'leased', lease_token = ?, lease_expires_at = ?, attempts = attempts + 1
      WHERE id = ?`);
    this.nextDue = db.prepare(`
      SELECT min(next_attempt_at) AS due FROM records WHERE connection = ? AND state = 'pending' AND blocked = 0`);
    // Per connection, so it is a search of records_by_state rather than a scan of the whole table.
    this.releaseAll = db.prepare(`
      UPDATE records SET state = 'pending', lease_token = NULL, lease_expires_at = NULL
      WHERE connection = ? AND state = 'leased'`);
    const transaction = db.transaction((request: LeaseRequest, now: number): Lease => {
      for (const { id } of this.expire.all(request.connection, now) as { id: number }[]) {
        this.expiredEvent.run(id, now);
      }
      const token = randomUUID();
      const records: OutgoingRecord[] = [];
      let bytes = 0;
      for (const row of this.ready.all(request.connection, now, request.max) as ReadyRow[]) {
        if (records.length > 0 && bytes + row.size > request.maxBytes) break;
        bytes += row.size;
        this.take.run(token, now + request.leaseMs, row.id);
        records.push({
          id: row.id,
          idempotencyKey: row.idempotency_key,
          businessKey: row.business_key,
          contentType: row.content_type,
          payload: row.payload,
          attempts: row.attempts + 1,
        });
      }
      return { token, records };
    });
    this.run = (...args) => transaction.immediate(...args);
  }

  lease(request: LeaseRequest, now: number): Lease {
    return this.run(request, now);
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
