// Retention: old delivered records are compacted to their receipt, then removed; open and dead ones stay; the file stays bounded.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Outbox } from '../../../main/outbox/outbox.js';
import type { RetentionPolicy } from '../../../main/outbox/retention.js';
import type { TestClock } from './outbox-fixture.js';
import {
  batch,
  change,
  defaultOptions,
  delivered,
  idOf,
  leaseKeys,
  outboxHarness,
  rowOf,
  testClock,
} from './outbox-fixture.js';

const h = outboxHarness();
const hour = 3_600_000;
const day = 24 * hour;
const policy: RetentionPolicy = { compactAfterMs: hour, removeAfterMs: 7 * day, chunk: 500 };

const setup = () => h.setup();

function deliverAll(outbox: Outbox, clock: TestClock, connection = 'conn-a') {
  const lease = leaseKeys(outbox, connection);
  outbox.settle(
    lease.token,
    lease.records.map((r) => delivered(r, clock())),
  );
  return lease.records;
}

function eventCount(outbox: Outbox, id: number): number {
  return outbox.db
    .prepare('SELECT count(*) FROM record_events WHERE record_id = ?')
    .pluck()
    .get(id) as number;
}

/** The delivered sends' outcomes kept (one per send, shared by its records). */
function outcomeCount(outbox: Outbox): number {
  return outbox.db.prepare('SELECT count(*) FROM send_outcomes').pluck().get() as number;
}

describe('retention', () => {
  it('compacts delivered records older than compactAfter to their receipt', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('k1', { payload: Buffer.alloc(2000, 1) })]));
    const [record] = deliverAll(outbox, clock);
    const settledAt = clock.now;
    const receipt = outbox.timeline(record!.id)!.record.receipt;

    clock.advance(hour); // exactly compactAfter: not yet
    expect(outbox.applyRetention(policy)).toEqual({ compacted: 0, removed: 0 });
    expect(rowOf(outbox, record!.id)!.payload).not.toBeNull();

    clock.advance(1);
    const compactedAt = clock.now;
    expect(outbox.applyRetention(policy)).toEqual({ compacted: 1, removed: 0 });
    const row = rowOf(outbox, record!.id)!;
    expect(row.payload).toBeNull();
    expect(outbox.lastDeliveredAt('conn-a')).toBe(settledAt); // found among the compacted records too
    const timeline = outbox.timeline(record!.id)!;
    expect(timeline.record).toMatchObject({ state: 'delivered', receipt, size: 2000 });
    expect(timeline.events.map((e) => e.kind)).toEqual(['captured', 'queued', 'delivered', 'compacted']);
    expect(timeline.events.at(-1)!.at).toBe(compactedAt); // when retention took the payload, not the delivery

    expect(outbox.applyRetention(policy)).toEqual({ compacted: 0, removed: 0 }); // idempotent
  });

  it('removes delivered and discarded records older than removeAfter, with their events', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([change('old', { orderingKey: 'a' }), change('gone', { orderingKey: 'b' })]),
    );
    const lease = leaseKeys(outbox);
    outbox.settle(lease.token, [
      delivered(lease.records[0]!, clock()),
      { id: lease.records[1]!.id, kind: 'dead', error: 'no', latencyMs: 1 },
    ]);
    outbox.discard([lease.records[1]!.id], 'ops');
    clock.advance(6 * day);
    outbox.enqueue('conn-a', batch([change('young', { orderingKey: 'c' })]));
    deliverAll(outbox, clock);
    const ids = { old: idOf(outbox, 'old'), gone: idOf(outbox, 'gone'), young: idOf(outbox, 'young') };
    expect(eventCount(outbox, ids.gone)).toBeGreaterThan(0); // its dead and discarded steps
    expect(outbox.timeline(ids.old)!.events.map((e) => e.kind)).toContain('delivered');
    expect(outcomeCount(outbox)).toBe(2); // the sends of 'old' and of 'young'

    clock.advance(day + 1);
    const result = outbox.applyRetention(policy);
    expect(result).toEqual({ compacted: 1, removed: 2 }); // removed rows are not compacted first
    expect(outbox.timeline(ids.old)).toBeUndefined();
    expect(outbox.timeline(ids.gone)).toBeUndefined();
    expect(eventCount(outbox, ids.old)).toBe(0);
    expect(eventCount(outbox, ids.gone)).toBe(0);
    expect(outcomeCount(outbox)).toBe(1); // the send of 'old' went with it; 'young' keeps its own
    expect(outbox.timeline(ids.young)!.events.map((e) => e.kind)).toContain('delivered');
    expect(outbox.search({ idempotencyKey: 'old', limit: 5 })).toEqual([]);
    expect(outbox.timeline(ids.young)!.events.map((e) => e.kind)).toContain('compacted');
    expect(outbox.db.pragma('foreign_key_check')).toEqual([]);
    // Audit trail of the discard outlives the record.
    expect(outbox.audit.recent('dead-letter.discard')).toHaveLength(1);
  });

  it('never touches pending, leased or dead records, however old', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('pending', { orderingKey: 'a' }),
        change('leased', { orderingKey: 'b' }),
        change('dead', { orderingKey: 'c' }),
      ]),
    );
    const lease = leaseKeys(outbox, 'conn-a', { leaseMs: 365 * day });
    outbox.settle(lease.token, [
      {
        id: lease.records[0]!.id,
        kind: 'retry',
        retryAt: clock.now + 300 * day,
        error: 'wait',
        latencyMs: 1,
      },
      { id: lease.records[2]!.id, kind: 'dead', error: 'bad', latencyMs: 1 },
    ]);
    const countsBefore = outbox.counts('conn-a');
    clock.advance(100 * day);
    expect(outbox.applyRetention(policy)).toEqual({ compacted: 0, removed: 0 });
    for (const key of ['pending', 'leased', 'dead']) {
      const row = rowOf(outbox, idOf(outbox, key))!;
      expect(row.payload, key).not.toBeNull();
      expect(row.state).toBe(key);
    }
    expect(outbox.counts('conn-a')).toEqual(countsBefore);
    expect(
      outbox.deadLetters({ connection: 'conn-a', limit: 5 })[0]!.payload!.equals(change('dead').payload),
    ).toBe(true);
  });

  it('works through more rows than one chunk', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch(Array.from({ length: 23 }, (_, i) => change(`k${i}`, { orderingKey: `o${i}` }))),
    );
    deliverAll(outbox, clock);
    clock.advance(2 * hour);
    expect(outbox.applyRetention({ ...policy, chunk: 5 })).toEqual({ compacted: 23, removed: 0 });
    clock.advance(7 * day);
    expect(outbox.applyRetention({ ...policy, chunk: 5 })).toEqual({ compacted: 0, removed: 23 });
    expect(outbox.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);
  });

  it('keeps the file bounded over many capture/deliver/retention rounds, where no retention would not', () => {
    const rounds = 20;
    const perRound = 1000;
    const payload = Buffer.alloc(1024, 7);
    const bound = 4 * 1024 * 1024; // ~3 rounds of data: retention must keep the file near one round's worth

    function fileBytes(outbox: Outbox, file: string): number {
      outbox.db.pragma('wal_checkpoint(TRUNCATE)');
      const wal = `${file}-wal`;
      return fs.statSync(file).size + (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
    }

    /** Runs rounds of capture + delivery (+ retention); stops early once `stopAbove` is passed. Returns sizes per round. */
    function runRounds(file: string, retention: boolean, stopAbove = Infinity): number[] {
      const clock = testClock();
      // NORMAL: this measures space, not durability, and keeps 20 MB of churn fast.
      const outbox = h.open(file, { ...defaultOptions, synchronous: 'NORMAL' }, clock);
      const sizes: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const changes = Array.from({ length: perRound }, (_, i) =>
          change(`r${round}-${i}`, { orderingKey: `o${i % 500}`, businessKey: `INV-${round}-${i}`, payload }),
        );
        outbox.enqueue('conn-a', batch(changes, [{ key: 'pos', value: String(round) }]));
        let sent = 0;
        while (sent < perRound) {
          const lease = leaseKeys(outbox, 'conn-a', { max: 1000 });
          expect(lease.records.length).toBeGreaterThan(0);
          outbox.settle(
            lease.token,
            lease.records.map((r) => delivered(r, clock())),
          );
          sent += lease.records.length;
        }
        const peak = fileBytes(outbox, file); // everything of this round delivered, nothing removed yet
        clock.advance(policy.removeAfterMs + 1);
        if (retention) expect(outbox.applyRetention(policy)).toEqual({ compacted: 0, removed: perRound });
        const after = fileBytes(outbox, file);
        if (retention)
          expect(after, 'space is given back, not just kept as free pages').toBeLessThan(256 * 1024);
        sizes.push(Math.max(peak, after));
        if (sizes.at(-1)! > stopAbove) break;
      }
      expect(outbox.counts('conn-a')).toEqual({ pending: 0, pendingBytes: 0, dead: 0 });
      expect(outbox.checkpoint('conn-a', 'pos')).toBe(String(sizes.length - 1));
      return sizes;
    }

    const withRetention = runRounds(h.file('with.db'), true);
    expect(withRetention).toHaveLength(rounds);
    expect(Math.max(...withRetention)).toBeLessThan(bound);
    // Steady state: the last round is no bigger than the first (freed pages are reused or vacuumed away).
    expect(withRetention.at(-1)!).toBeLessThanOrEqual(withRetention[0]! * 1.25);

    const without = runRounds(h.file('without.db'), false, bound);
    expect(without.at(-1)!).toBeGreaterThan(bound);
  });
});
