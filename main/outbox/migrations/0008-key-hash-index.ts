// Migration 8: idempotency keys are indexed by a 53-bit hash instead of the text itself; a match is confirmed by text.
import type { Migration } from './migration.js';
import { keyHash } from '../key-hash.js';

/**
 * `records_by_key`, the unique index on (connection, idempotency_key), held ~80 bytes of text per record, spread at
 * random: every enqueue dirtied a page of it, and it was the largest single cost of an enqueue (about 9 of 25 µs per
 * record in a micro-benchmark of the outbox's inserts). `records_by_key_hash` holds one small integer per record.
 * Dedupe is now a lookup by hash that compares connection and key, then the insert, inside the enqueue's
 * `BEGIN IMMEDIATE` transaction: no other writer can come between the two.
 */
export const keyHashIndex: Migration = {
  version: 8,
  name: 'key-hash-index',
  up(db) {
    db.function('outbox_key_hash', { deterministic: true }, (connection, key) =>
      keyHash(String(connection), String(key)),
    );
    db.exec(`
      ALTER TABLE records ADD COLUMN key_hash INTEGER;  -- keyHash(connection, idempotency_key), key-hash.ts
      UPDATE records SET key_hash = outbox_key_hash(connection, idempotency_key);
      DROP INDEX records_by_key;
      CREATE INDEX records_by_key_hash ON records (key_hash);
    `);
  },
};
