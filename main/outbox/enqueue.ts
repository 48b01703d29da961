// Stores captured changes and the source checkpoint that covers them in one transaction, deduplicated by key.
import type { Database, Statement } from 'better-sqlite3';
import { RecordEvents } from './record-events.js';
import { commitWithoutFsync } from './relaxed-commit.js';
import type { ChangeBatch, EnqueueResult } from '../../connectors/core/change.js';
import type { OutboxCounters } from './counters.js';
import { pageLimits } from './open-database.js';
import { OrderingQueues, openTailOf } from './ordering-queue.js';
import { holdsKey, keyHash } from './key-hash.js';

export class Enqueuer {
  private readonly queues: OrderingQueues;
  private readonly stored: Statement;
  private readonly insert: Statement;
  private readonly openTail: Statement;
  private readonly insertRejected: Statement;
  private readonly insertPayload: Statement;
  private readonly events: RecordEvents;
  private readonly upsertCheckpoint: Statement;
  private readonly deleteCheckpoint: Statement;
  private readonly run: (
    connection: string,
    batch: ChangeBatch,
    now: number,
    keySite: string | null,
  ) => EnqueueResult & { bytes: number; rejected: number };
  private readonly limits: { capture: number; drain: number } | undefined;

  constructor(
    private readonly db: Database,
    private readonly counters: OutboxCounters,
    maxDatabaseBytes?: number,
  ) {
    this.limits =
      maxDatabaseBytes === undefined
        ? undefined
        : pageLimits(maxDatabaseBytes, db.pragma('page_size', { simple: true }) as number);
    // A record waits (`blocked`) for the open tail of its ordering key's queue, if there is one: only heads are
    // leased. It then becomes the key's tail. The tail is looked up once, by its own statement in the same
    // transaction, then bound twice: 4,900 instructions per record fewer than two lookups inside VALUES (callgrind),
    // and an INSERT … SELECT from a derived table was slower still. Positional parameters: binding by name costs a
    // property lookup per parameter and record (about 1 µs of ~20).
    this.openTail = db.prepare(`SELECT ${openTailOf('?', '?')}`).pluck();
    this.insert = db.prepare(`
      INSERT INTO records (connection, idempotency_key, key_hash, ordering_key, business_key, content_type, size, origin,
                           key_site, created_at, next_attempt_at, state, blocked, waits_for)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`);
    // A change the source could not make valid: a dead letter from the start, with its reason on the timeline.
    this.insertRejected = db.prepare(`
      INSERT INTO records (connection, idempotency_key, key_hash, ordering_key, business_key, content_type, size, origin,
                           key_site, created_at, next_attempt_at, settled_at, last_error, state, blocked)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'dead', 0)`);
    // Dedupe: a key already stored for the connection (by hash, confirmed by text). The enqueue runs in a
    // BEGIN IMMEDIATE transaction, so no other writer comes between this lookup and the insert.
    this.stored = db.prepare(`SELECT 1 FROM records WHERE ${holdsKey('?', '?', '?')}`).pluck();
    this.queues = new OrderingQueues(db);
    // Written once, next to its record: state changes rewrite the small records row only.
    this.insertPayload = db.prepare('INSERT INTO record_payloads (record_id, payload) VALUES (?, ?)');
    this.events = new RecordEvents(db);
    this.upsertCheckpoint = db.prepare(`
      INSERT INTO checkpoints (source, key, value, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (source, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    this.deleteCheckpoint = db.prepare('DELETE FROM checkpoints WHERE source = ? AND key = ?');
    const transaction = db.transaction(
      (connection: string, batch: ChangeBatch, now: number, keySite: string | null) => {
        let inserted = 0;
        let rejected = 0;
        let bytes = 0;
        for (const change of batch.changes) {
          const hash = keyHash(connection, change.idempotencyKey);
          if (this.stored.get(hash, connection, change.idempotencyKey) !== undefined) continue;
          const { orderingKey } = change;
          const columns = [
            connection,
            change.idempotencyKey,
            hash,
            orderingKey,
            change.businessKey ?? null,
            change.contentType,
            change.payload.length,
            change.origin ? JSON.stringify(change.origin) : null,
            keySite,
            now,
            now,
          ];
          const info = change.rejected
            ? this.insertRejected.run(...columns, now, change.rejected.reason)
            : this.insertOpen(columns, connection, orderingKey);
          if (!change.rejected) this.queues.opened(connection, change.orderingKey, info.lastInsertRowid);
          this.insertPayload.run(info.lastInsertRowid, change.payload);
          if (change.rejected) {
            this.events.add(info.lastInsertRowid, now, 'rejected', { reason: change.rejected.reason });
            rejected += 1;
          } else {
            inserted += 1;
            bytes += change.payload.length;
          }
        }
        for (const checkpoint of batch.checkpoints) {
          if (checkpoint.value === null) this.deleteCheckpoint.run(connection, checkpoint.key);
          else this.upsertCheckpoint.run(connection, checkpoint.key, checkpoint.value, now);
        }
        return {
          inserted: inserted + rejected,
          rejected,
          duplicates: batch.changes.length - inserted - rejected,
          bytes,
        };
      },
    );
    this.run = (...args) => transaction.immediate(...args);
  }

  /** Inserts an open record behind the open tail of its key, if there is one. */
  private insertOpen(columns: unknown[], connection: string, orderingKey: string) {
    const tail = this.openTail.get(connection, orderingKey) as number | null;
    return this.insert.run(...columns, tail === null ? 0 : 1, tail);
  }

  /** `keySite`: the site id new records are sent under (agent.siteId), or null for bare keys. */
  enqueue(connection: string, batch: ChangeBatch, now: number, keySite: string | null = null): EnqueueResult {
    const write = () => this.capped(() => this.run(connection, batch, now, keySite));
    const relaxed = batch.bookkeeping === true && batch.changes.length === 0;
    const { inserted, rejected, duplicates, bytes } = relaxed ? commitWithoutFsync(this.db, write) : write();
    this.counters.addPending(connection, inserted - rejected, bytes);
    if (rejected > 0) this.counters.addDead(connection, rejected);
    return { inserted, duplicates };
  }

  /** Capture stops at the size cap; the reserve above it is left for the writes that drain the outbox. */
  private capped<T>(write: () => T): T {
    if (!this.limits) return write();
    this.db.pragma(`max_page_count = ${this.limits.capture}`);
    try {
      return write();
    } finally {
      this.db.pragma(`max_page_count = ${this.limits.drain}`);
    }
  }
}
