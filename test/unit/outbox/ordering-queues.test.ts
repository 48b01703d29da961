// Per-key queues (schema 7): an older outbox's open records keep their order, tails stay right through removal and
// rowid reuse, and a settle hands each key over without looking records up by ordering key.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/outbox/migrate.js';
import { currentSchemaVersion, outboxMigrations } from '../../../main/outbox/migrations/index.js';
import { Outbox } from '../../../main/outbox/outbox.js';
import {
  batch,
  change,
  defaultOptions,
  delivered,
  leaseKeys,
  outboxHarness,
  testClock,
} from './outbox-fixture.js';

const h = outboxHarness();

/** Leases everything that can go and delivers it, round after round: the order each key's records went out in. */
function drain(outbox: Outbox, connection: string, now: () => number): string[] {
  const sent: string[] = [];
  for (;;) {
    const lease = leaseKeys(outbox, connection);
    if (lease.records.length === 0) return sent;
    sent.push(...lease.keys);
    outbox.settle(
      lease.token,
      lease.records.map((r) => delivered(r, now())),
    );
  }
}

const tails = (db: Database.Database) =>
  db
    .prepare(
      'SELECT connection, ordering_key, record_id FROM ordering_tails ORDER BY connection, ordering_key',
    )
    .all();

describe('ordering queues', () => {
  it('migration 7 queues the open records of a schema-6 outbox as the old code would have sent them', () => {
    const file = h.file();
    const db = new Database(file);
    migrate(db, outboxMigrations, 6);
    const insert = db.prepare(`
      INSERT INTO records (connection, idempotency_key, ordering_key, content_type, size, created_at, state, blocked,
                           next_attempt_at, settled_at)
      VALUES (?, ?, ?, 'application/json', 2, 1000, ?, ?, 1000, ?)`);
    const add = (connection: string, key: string, orderingKey: string, state: string, blocked = 0) => {
      const settled = state === 'pending' || state === 'leased' ? null : 2000;
      const id = Number(insert.run(connection, key, orderingKey, state, blocked, settled).lastInsertRowid);
      db.prepare("INSERT INTO record_payloads (record_id, payload) VALUES (?, x'7b7d')").run(id);
      return id;
    };
    add('conn-a', 'a1', 'A', 'delivered');
    add('conn-a', 'a2', 'A', 'leased'); // the head, in flight when the old agent stopped
    add('conn-a', 'a3', 'A', 'pending', 1);
    add('conn-a', 'b1', 'B', 'dead');
    const b2 = add('conn-a', 'b2', 'B', 'pending', 1); // replayed by the old code while b3 was the head
    add('conn-a', 'a4', 'A', 'pending', 1);
    add('conn-a', 'b3', 'B', 'pending', 0);
    add('conn-a', 'c1', 'C', 'delivered'); // nothing open: no tail
    add('conn-b', 'x1', 'A', 'pending', 0); // the same ordering key on another connection is another queue
    add('conn-b', 'x2', 'A', 'pending', 1);
    db.close();

    const clock = testClock();
    const outbox = h.open(file, defaultOptions, clock);
    expect(outbox.db.pragma('user_version', { simple: true })).toBe(currentSchemaVersion);
    const waits = outbox.db
      .prepare(
        'SELECT idempotency_key AS key, blocked, waits_for FROM records WHERE settled_at IS NULL ORDER BY id',
      )
      .all();
    const id = (key: string) =>
      outbox.db.prepare('SELECT id FROM records WHERE idempotency_key = ?').pluck().get(key) as number;
    expect(waits).toEqual([
      { key: 'a2', blocked: 0, waits_for: null },
      { key: 'a3', blocked: 1, waits_for: id('a2') },
      { key: 'b2', blocked: 1, waits_for: id('b3') },
      { key: 'a4', blocked: 1, waits_for: id('a3') },
      { key: 'b3', blocked: 0, waits_for: null },
      { key: 'x1', blocked: 0, waits_for: null },
      { key: 'x2', blocked: 1, waits_for: id('x1') },
    ]);
    expect(tails(outbox.db)).toEqual([
      { connection: 'conn-a', ordering_key: 'A', record_id: id('a4') },
      { connection: 'conn-a', ordering_key: 'B', record_id: b2 },
      { connection: 'conn-b', ordering_key: 'A', record_id: id('x2') },
    ]);
    expect(
      outbox.db.prepare("SELECT name FROM sqlite_master WHERE name = 'records_open_by_ordering_key'").get(),
    ).toBeUndefined();

    // A record captured now queues behind the migrated tail.
    outbox.enqueue('conn-a', batch([change('a5', { orderingKey: 'A' })]));
    const order = drain(outbox, 'conn-a', clock);
    expect(order.filter((k) => k.startsWith('a'))).toEqual(['a2', 'a3', 'a4', 'a5']);
    expect(order.filter((k) => k.startsWith('b'))).toEqual(['b3', 'b2']);
    expect(drain(outbox, 'conn-b', clock)).toEqual(['x1', 'x2']);
  });

  it('a key whose tail was removed by retention, its id then used again by another key, starts a fresh queue', () => {
    const { clock, outbox } = h.setup();
    outbox.enqueue('conn-a', batch([change('old', { orderingKey: 'K' })]));
    expect(drain(outbox, 'conn-a', clock)).toEqual(['old']);
    const oldId = outbox.db.prepare("SELECT id FROM records WHERE idempotency_key = 'old'").pluck().get();
    // Retention removes the delivered record (the newest row, so SQLite hands its id out again).
    outbox.db.prepare('DELETE FROM records WHERE id = ?').run(oldId);
    expect(tails(outbox.db)).toEqual([]);
    outbox.enqueue('conn-a', batch([change('other', { orderingKey: 'L' })]));
    expect(outbox.db.prepare("SELECT id FROM records WHERE idempotency_key = 'other'").pluck().get()).toBe(
      oldId,
    );
    // A stale tail (as an outbox written before the delete trigger could hold) must not queue K behind L's record.
    outbox.db
      .prepare("INSERT INTO ordering_tails (connection, ordering_key, record_id) VALUES ('conn-a', 'K', ?)")
      .run(oldId);
    outbox.enqueue('conn-a', batch([change('new', { orderingKey: 'K' })]));
    expect(leaseKeys(outbox).keys.sort()).toEqual(['new', 'other']); // both heads at once
  });

  it('records of one key enqueued in one batch, across batches and across a restart wait for each other in order', () => {
    const file = h.file();
    const clock = testClock();
    let outbox = Outbox.open(file, defaultOptions, clock);
    outbox.enqueue('conn-a', batch(['k1', 'k2', 'k3'].map((k) => change(k, { orderingKey: 'K' }))));
    outbox.enqueue('conn-a', batch([change('k4', { orderingKey: 'K' })]));
    outbox.close();
    outbox = h.open(file, defaultOptions, clock);
    outbox.enqueue('conn-a', batch([change('k5', { orderingKey: 'K' })]));
    const sent: string[][] = [];
    for (;;) {
      const lease = leaseKeys(outbox);
      if (lease.records.length === 0) break;
      sent.push(lease.keys);
      outbox.settle(
        lease.token,
        lease.records.map((r) => delivered(r, clock())),
      );
    }
    expect(sent).toEqual([['k1'], ['k2'], ['k3'], ['k4'], ['k5']]);
  });
});
