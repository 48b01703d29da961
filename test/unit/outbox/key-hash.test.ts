// Keys indexed by hash (schema 8): the hash is fixed and spreads keys; dedupe and lookups confirm the full key, also
// when two keys share a hash; an older outbox gets the hash of every record it holds.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/outbox/migrate.js';
import { currentSchemaVersion, outboxMigrations } from '../../../main/outbox/migrations/index.js';
import { keyHash } from '../../../main/outbox/key-hash.js';
import { batch, change, defaultOptions, leaseKeys, outboxHarness, testClock } from './outbox-fixture.js';

const h = outboxHarness();

describe('idempotency keys indexed by hash', () => {
  it('the hash is a fixed, safe, non-negative integer that tells connection and key apart', () => {
    // Stored outboxes hold these numbers: changing the function would break every lookup in them.
    expect(keyHash('conn-a', 'k1')).toBe(5647735952091518);
    expect(keyHash('ab', 'c')).not.toBe(keyHash('a', 'bc'));
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const value = keyHash('conn-a', `orders:${i}`);
      expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
      seen.add(value);
    }
    expect(seen.size).toBe(100_000);
  });

  it('keys that share a hash are still two records, each found and deduped by its own text', () => {
    const { outbox } = h.setup();
    outbox.enqueue('conn-a', batch([change('first', { orderingKey: 'A' })]));
    // Force a collision: give the stored record the hash another key will have.
    outbox.db
      .prepare("UPDATE records SET key_hash = ? WHERE idempotency_key = 'first'")
      .run(keyHash('conn-a', 'second'));
    const result = outbox.enqueue(
      'conn-a',
      batch([change('second', { orderingKey: 'B' }), change('second')]),
    );
    expect(result).toEqual({ inserted: 1, duplicates: 1 });
    expect(outbox.deliveryStates('conn-a', ['second', 'missing'])).toEqual(new Map([['second', 'pending']]));
    expect(outbox.search({ idempotencyKey: 'second', limit: 10 }).map((r) => r.idempotencyKey)).toEqual([
      'second',
    ]);
    expect(leaseKeys(outbox).keys.sort()).toEqual(['first', 'second']);
    // The same key under another connection is another record.
    expect(outbox.enqueue('conn-b', batch([change('second')]))).toEqual({ inserted: 1, duplicates: 0 });
  });

  it('migration 8 hashes every record of an older outbox, which then dedupes and finds them', () => {
    const file = h.file();
    const db = new Database(file);
    migrate(db, outboxMigrations, 7);
    const insert = db.prepare(`
      INSERT INTO records (connection, idempotency_key, ordering_key, content_type, size, created_at, state,
                           next_attempt_at, settled_at)
      VALUES (?, ?, ?, 'application/json', 2, 1000, ?, 1000, ?)`);
    insert.run('conn-a', 'old-pending', 'A', 'pending', null);
    insert.run('conn-a', 'old-delivered', 'B', 'delivered', 2000);
    insert.run('conn-b', 'old-pending', 'A', 'pending', null);
    db.close();

    const outbox = h.open(file, defaultOptions, testClock());
    expect(outbox.db.pragma('user_version', { simple: true })).toBe(currentSchemaVersion);
    const rows = outbox.db
      .prepare('SELECT connection, idempotency_key, key_hash FROM records ORDER BY id')
      .all() as {
      connection: string;
      idempotency_key: string;
      key_hash: number;
    }[];
    for (const row of rows) expect(row.key_hash).toBe(keyHash(row.connection, row.idempotency_key));
    expect(outbox.enqueue('conn-a', batch([change('old-pending'), change('old-delivered')]))).toEqual({
      inserted: 0,
      duplicates: 2,
    });
    expect(outbox.deliveryStates('conn-a', ['old-pending', 'old-delivered'])).toEqual(
      new Map([
        ['old-pending', 'pending'],
        ['old-delivered', 'delivered'],
      ]),
    );
    const indexes = outbox.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
    expect(indexes).toContain('records_by_key_hash');
    expect(indexes).not.toContain('records_by_key');
  });
});
