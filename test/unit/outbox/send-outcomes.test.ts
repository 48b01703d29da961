// A delivered send's timeline step is stored once (send_outcomes) and shown on each of its records with its own receipt.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../main/outbox/migrate.js';
import { outboxMigrations } from '../../../main/outbox/migrations/index.js';
import type { Settlement } from '../../../main/outbox/settle.js';
import {
  batch,
  change,
  defaultOptions,
  delivered,
  idOf,
  leaseKeys,
  outboxHarness,
} from './outbox-fixture.js';

const h = outboxHarness();

const count = (db: Database.Database, sql: string) => db.prepare(sql).pluck().get() as number;

describe('send outcomes', () => {
  it('one send of 300 records writes one outcome and no per-record event; every timeline shows it with its own receipt', () => {
    const { clock, outbox } = h.setup();
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    outbox.enqueue('conn-a', batch(keys.map((k, i) => change(k, { orderingKey: `o${i}` }))));
    const lease = leaseKeys(outbox);
    clock.advance(40);
    const request = { operation: 'POST', target: 'https://api.example/batch', bytes: 9000, records: 300 };
    const settlements: Settlement[] = lease.records.map((r) => ({
      ...delivered(r, clock.now),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      request,
    }));
    const result = outbox.settle(lease.token, settlements);
    expect(result.settled).toBe(300);

    expect(count(outbox.db, 'SELECT count(*) FROM send_outcomes')).toBe(1);
    expect(count(outbox.db, 'SELECT count(*) FROM record_events')).toBe(0);
    for (const key of ['k0', 'k151', 'k299']) {
      const id = idOf(outbox, key);
      const events = outbox.timeline(id)!.events;
      expect(events.map((e) => e.kind)).toEqual(['captured', 'queued', 'delivered']);
      expect(events[2]).toEqual({
        at: clock.now,
        kind: 'delivered',
        detail: {
          latencyMs: 12,
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          request,
          receipt: { code: 'HTTP 201', serverId: `srv-${id}`, at: clock.now },
        },
      });
    }
  });

  it('deliveries with different facts in one settle get an outcome each', () => {
    const { clock, outbox } = h.setup();
    outbox.enqueue('conn-a', batch(['a', 'b', 'c'].map((k) => change(k, { orderingKey: k }))));
    const lease = leaseKeys(outbox);
    const [a, b, c] = lease.records;
    outbox.settle(lease.token, [
      { ...delivered(a!, clock.now), latencyMs: 5 },
      { ...delivered(b!, clock.now), latencyMs: 9 },
      { ...delivered(c!, clock.now), latencyMs: 5 },
    ]);
    expect(count(outbox.db, 'SELECT count(*) FROM send_outcomes')).toBe(2);
    const latency = (key: string) => outbox.timeline(idOf(outbox, key))!.events.at(-1)!.detail!.latencyMs;
    expect([latency('a'), latency('b'), latency('c')]).toEqual([5, 9, 5]);
  });

  it('a retried record shows each failed attempt, then the delivery of the send that took it', () => {
    const { clock, outbox } = h.setup();
    outbox.enqueue('conn-a', batch([change('k1')]));
    const id = idOf(outbox, 'k1');
    let lease = leaseKeys(outbox);
    outbox.settle(lease.token, [
      { id, kind: 'retry', retryAt: clock.now + 10, error: 'HTTP 503', latencyMs: 30 },
    ]);
    clock.advance(10);
    lease = leaseKeys(outbox);
    outbox.settle(lease.token, [delivered(lease.records[0]!, clock.now)]);
    const events = outbox.timeline(id)!.events;
    expect(events.map((e) => e.kind)).toEqual(['captured', 'queued', 'attempt', 'delivered']);
    expect(events[3]!.at).toBe(clock.now);
  });

  it('a stale delivery (lease taken over) points no record at an outcome', () => {
    const { clock, outbox } = h.setup();
    outbox.enqueue('conn-a', batch([change('k1')]));
    const first = leaseKeys(outbox, 'conn-a', { leaseMs: 10 });
    clock.advance(11);
    const second = leaseKeys(outbox);
    const stale = outbox.settle(first.token, [delivered(first.records[0]!, clock.now)]);
    expect(stale.stale).toEqual([first.records[0]!.id]);
    expect(count(outbox.db, 'SELECT count(*) FROM records WHERE outcome_id IS NOT NULL')).toBe(0);
    outbox.settle(second.token, [delivered(second.records[0]!, clock.now)]);
    const events = outbox.timeline(first.records[0]!.id)!.events;
    expect(events.filter((e) => e.kind === 'delivered')).toHaveLength(1);
  });

  it('migration 9 keeps delivered events stored per record (schema 8) on their timelines', () => {
    const file = h.file();
    const db = new Database(file);
    migrate(db, outboxMigrations, 8);
    db.prepare(
      `INSERT INTO records (id, connection, idempotency_key, ordering_key, content_type, size, created_at, state,
         next_attempt_at, receipt, settled_at, key_hash)
       VALUES (1, 'conn-a', 'old', 'o', 'application/json', 2, 1000, 'delivered', 1000, ?, 2000, 0)`,
    ).run(JSON.stringify({ code: 'HTTP 201', at: 2000 }));
    db.prepare(
      `INSERT INTO record_events (record_id, at, kind, detail) VALUES (1, 2000, 'delivered', ?)`,
    ).run(JSON.stringify({ latencyMs: 7, receipt: { code: 'HTTP 201', at: 2000 } }));
    db.close();

    const outbox = h.open(file, defaultOptions);
    const events = outbox.timeline(1)!.events;
    expect(events.map((e) => e.kind)).toEqual(['captured', 'queued', 'delivered']);
    expect(events[2]).toEqual({
      at: 2000,
      kind: 'delivered',
      detail: { latencyMs: 7, receipt: { code: 'HTTP 201', at: 2000 } },
    });
  });
});
