// Settling sends: delivered (receipt), retry (stays head, due later), dead (unblocks its key); per-key FIFO holds.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../support/seeded-random.js';
import type { OutgoingRecord } from '../../../connectors/core/destination.js';
import { GroupSettle, settlementsPerCommit } from '../../../main/delivery/group-settle.js';
import type { Outbox } from '../../../main/outbox/outbox.js';
import {
  batch,
  change,
  defaultOptions,
  delivered,
  idOf,
  leaseKeys,
  outboxHarness,
  retry,
  rowOf,
  testClock,
} from './outbox-fixture.js';

const h = outboxHarness();

const setup = () => h.setup();

describe('settle', () => {
  it('delivered: keeps the receipt, drops the counters, unblocks the next record of the key in capture order', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { orderingKey: 'A', payload: Buffer.alloc(10) }),
        change('a2', { orderingKey: 'A', payload: Buffer.alloc(20) }),
        change('a3', { orderingKey: 'A', payload: Buffer.alloc(30) }),
      ]),
    );
    expect(outbox.lastDeliveredAt('conn-a')).toBeUndefined();
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      const lease = leaseKeys(outbox);
      expect(lease.records).toHaveLength(1);
      order.push(lease.keys[0]!);
      const receipt = { code: 'HTTP 201', serverId: `srv-${i}`, at: clock.now - 5 };
      const result = outbox.settle(lease.token, [
        { id: lease.records[0]!.id, kind: 'delivered', receipt, latencyMs: 40, traceparent: '00-abc-def-01' },
      ]);
      expect(result).toEqual({
        settled: 1,
        stale: [],
        delivered: [{ idempotencyKey: lease.keys[0], origin: null }],
      });
      const record = outbox.timeline(lease.records[0]!.id)!.record;
      expect(record.receipt).toEqual(receipt);
      expect(record.state).toBe('delivered');
      expect(record.settledAt).toBe(clock.now);
      expect(record.lastError).toBeNull();
      expect(outbox.lastDeliveredAt('conn-a')).toBe(clock.now);
    }
    expect(order).toEqual(['a1', 'a2', 'a3']);
    expect(outbox.counts('conn-a')).toEqual({ pending: 0, pendingBytes: 0, dead: 0 });
    expect(rowOf(outbox, idOf(outbox, 'a1'))).toMatchObject({ lease_token: null, lease_expires_at: null });
  });

  it('counters drop by the delivered record only', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { orderingKey: 'A', payload: Buffer.alloc(10) }),
        change('b1', { orderingKey: 'B', payload: Buffer.alloc(25) }),
      ]),
    );
    const lease = leaseKeys(outbox);
    outbox.settle(lease.token, [delivered(lease.records[1]!, clock())]);
    expect(outbox.counts('conn-a')).toEqual({ pending: 1, pendingBytes: 10, dead: 0 });
  });

  it('retry: stays the head, records the attempt with its error and status, and is due at retryAt', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('a1', { orderingKey: 'A' }), change('a2', { orderingKey: 'A' })]));
    const lease = leaseKeys(outbox);
    const id = lease.records[0]!.id;
    const retryAt = clock.now + 30_000;
    const countsBefore = outbox.counts('conn-a');
    expect(
      outbox.settle(lease.token, [
        {
          id,
          kind: 'retry',
          retryAt,
          error: 'HTTP 503 Service Unavailable',
          code: 'HTTP 503',
          latencyMs: 250,
          traceparent: '00-t-s-01',
        },
      ]),
    ).toEqual({ settled: 1, stale: [], delivered: [] });

    expect(rowOf(outbox, id)).toMatchObject({
      state: 'pending',
      next_attempt_at: retryAt,
      last_error: 'HTTP 503 Service Unavailable',
      lease_token: null,
      settled_at: null,
      attempts: 1,
    });
    expect(outbox.counts('conn-a')).toEqual(countsBefore);
    const attempt = outbox.timeline(id)!.events.at(-1)!;
    expect(attempt).toEqual({
      at: clock.now,
      kind: 'attempt',
      detail: {
        latencyMs: 250,
        traceparent: '00-t-s-01',
        error: 'HTTP 503 Service Unavailable',
        code: 'HTTP 503',
        retryAt,
      },
    });
    expect(outbox.nextDueAt('conn-a')).toBe(retryAt);

    // a2 is due long before retryAt but must wait for its head.
    clock.advance(29_999);
    expect(leaseKeys(outbox).keys).toEqual([]);
    clock.advance(1);
    const again = leaseKeys(outbox);
    expect(again.keys).toEqual(['a1']);
    outbox.settle(again.token, [delivered(again.records[0]!, clock())]);
    expect(rowOf(outbox, id)!.last_error).toBeNull();
    expect(leaseKeys(outbox).keys).toEqual(['a2']);
  });

  it('dead: stores the reason, counts it, and unblocks the key', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { orderingKey: 'A', payload: Buffer.alloc(12) }),
        change('a2', { orderingKey: 'A', payload: Buffer.alloc(3) }),
      ]),
    );
    const lease = leaseKeys(outbox);
    const id = lease.records[0]!.id;
    const response = {
      code: 'HTTP 422',
      details: { 'content-type': 'application/json' },
      excerpt: '{"error":"key reused"}',
    };
    const reason = '422: idempotency key reused with a different payload';
    expect(
      outbox.settle(lease.token, [
        { id, kind: 'dead', error: reason, code: 'HTTP 422', response, latencyMs: 80 },
      ]),
    ).toEqual({
      settled: 1,
      stale: [],
      delivered: [],
    });
    const record = outbox.timeline(id)!.record;
    expect(record).toMatchObject({ state: 'dead', lastError: reason, settledAt: clock.now, receipt: null });
    expect(outbox.counts('conn-a')).toEqual({ pending: 1, pendingBytes: 3, dead: 1 });
    expect(outbox.timeline(id)!.events.at(-1)).toEqual({
      at: clock.now,
      kind: 'dead',
      detail: { latencyMs: 80, error: reason, code: 'HTTP 422', response },
    });
    expect(outbox.deadLetters({ connection: 'conn-a', limit: 10 }).map((r) => r.id)).toEqual([id]);
    expect(leaseKeys(outbox).keys).toEqual(['a2']);
    expect(outbox.lastDeliveredAt('conn-a')).toBeUndefined();
  });

  it('settles mixed outcomes of one lease in one call', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch(['a', 'b', 'c'].map((k) => change(k, { orderingKey: k }))));
    const lease = leaseKeys(outbox);
    const [a, b, c] = lease.records as [OutgoingRecord, OutgoingRecord, OutgoingRecord];
    const result = outbox.settle(lease.token, [
      delivered(a, clock()),
      { id: b.id, kind: 'retry', retryAt: clock.now + 1, error: 'timeout', latencyMs: 1 },
      { id: c.id, kind: 'dead', error: 'HTTP 400', latencyMs: 1 },
      delivered(a, clock()), // settled twice: the second is stale
    ]);
    // Only the record this settle delivered is reported to the source, with its origin.
    expect(result).toEqual({ settled: 3, stale: [a.id], delivered: [{ idempotencyKey: 'a', origin: null }] });
    expect([a, b, c].map((r) => rowOf(outbox, r.id)!.state)).toEqual(['delivered', 'pending', 'dead']);
    expect(outbox.counts('conn-a')).toEqual({ pending: 1, pendingBytes: b.payload.length, dead: 1 });
  });

  it('a settle that fails half way changes nothing, counters included', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch(['a', 'b'].map((k) => change(k, { orderingKey: k }))));
    const lease = leaseKeys(outbox);
    const [a, b] = lease.records as [OutgoingRecord, OutgoingRecord];
    const before = outbox.counts('conn-a');
    expect(() =>
      outbox.settle(lease.token, [
        delivered(a, clock()),
        // A fractional time is not an INTEGER: the STRICT table refuses it.
        { id: b.id, kind: 'retry', retryAt: clock.now + 0.5, error: 'x', latencyMs: 1 },
      ]),
    ).toThrow();
    expect(rowOf(outbox, a.id)).toMatchObject({ state: 'leased', lease_token: lease.token });
    expect(outbox.counts('conn-a')).toEqual(before);
    expect(outbox.timeline(a.id)!.events.map((e) => e.kind)).toEqual(['captured', 'queued']);
    // And the lease can still be settled properly.
    expect(outbox.settle(lease.token, [delivered(a, clock()), delivered(b, clock())]).settled).toBe(2);
  });

  it('lastDeliveredAt is the latest delivery even when an older record is delivered last', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([change('old', { orderingKey: 'A' }), change('new', { orderingKey: 'B' })]),
    );
    const lease = leaseKeys(outbox);
    const [old, recent] = lease.records as [OutgoingRecord, OutgoingRecord];
    outbox.settle(lease.token, [
      { id: old.id, kind: 'retry', retryAt: clock.now + 60_000, error: 'down', latencyMs: 1 },
    ]);
    clock.advance(1000);
    outbox.settle(lease.token, [delivered(recent, clock())]);
    expect(outbox.lastDeliveredAt('conn-a')).toBe(clock.now);
    clock.advance(60_000);
    const again = leaseKeys(outbox);
    outbox.settle(again.token, [delivered(again.records[0]!, clock())]);
    expect(outbox.lastDeliveredAt('conn-a')).toBe(clock.now);
    expect(outbox.lastDeliveredAt('conn-b')).toBeUndefined();
  });

  describe('per-key FIFO over long random runs', () => {
    type Outcome = 'delivered' | 'retry' | 'dead';

    const headsPerKey = `
      SELECT ordering_key, sum(blocked = 0) AS heads FROM records
      WHERE state IN ('pending', 'leased') GROUP BY ordering_key HAVING heads <> 1`;

    function run(seed: number, outcomes: Outcome[], replayChance = 0) {
      const random = seededRandom(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
      const clock = testClock();
      // NORMAL: durability is not under test here, and FULL's fsync per commit would make the run slow.
      const outbox: Outbox = h.open(
        h.file(`fifo-${seed}.db`),
        { ...defaultOptions, synchronous: 'NORMAL' },
        clock,
      );
      const keys = ['A', 'B', 'C', 'D', 'E'];
      const captured = new Map<string, string[]>(keys.map((k) => [k, []]));
      const sent = new Map<string, string[]>(keys.map((k) => [k, []]));
      const orderingOf = new Map<string, string>();
      const inFlight = new Set<string>();
      const replayed = new Set<number>();
      let next = 0;
      const total = 300;

      for (let step = 0; step < 5000 && (next < total || outbox.counts('conn-a').pending > 0); step++) {
        if (next < total && random() < 0.4) {
          const changes = Array.from({ length: Math.min(total - next, 1 + Math.floor(random() * 6)) }, () => {
            const orderingKey = pick(keys);
            const id = `r${next++}`;
            captured.get(orderingKey)!.push(id);
            orderingOf.set(id, orderingKey);
            return change(id, { orderingKey, payload: Buffer.alloc(1 + Math.floor(random() * 50)) });
          });
          outbox.enqueue('conn-a', batch(changes, [{ key: 'pos', value: String(next) }]));
        }
        const lease = leaseKeys(outbox, 'conn-a', {
          max: 1 + Math.floor(random() * 4),
          maxBytes: 120,
          leaseMs: 60_000,
        });
        for (const key of lease.keys) {
          const ok = orderingOf.get(key)!;
          expect(inFlight.has(ok), `two records of ${ok} in flight`).toBe(false);
          inFlight.add(ok);
        }
        const settlements = lease.records.map((r) => {
          const kind = pick(outcomes);
          inFlight.delete(orderingOf.get(r.idempotencyKey)!);
          if (kind === 'delivered') {
            sent.get(orderingOf.get(r.idempotencyKey)!)!.push(r.idempotencyKey);
            return delivered(r, clock());
          }
          if (kind === 'retry') {
            return {
              id: r.id,
              kind,
              retryAt: clock.now + Math.floor(random() * 3) * 100,
              error: 'HTTP 503',
              latencyMs: 1,
            };
          }
          return { id: r.id, kind, error: 'HTTP 400', latencyMs: 1 };
        });
        // Settle in a shuffled order: order of settlement must not matter.
        settlements.sort(() => random() - 0.5);
        expect(outbox.settle(lease.token, settlements).stale).toEqual([]);
        if (random() < replayChance) {
          const candidates = outbox
            .deadLetters({ connection: 'conn-a', limit: 1000 })
            .filter((r) => !replayed.has(r.id));
          const chosen = candidates.filter(() => random() < 0.5).map((r) => r.id);
          for (const id of chosen) replayed.add(id);
          expect(outbox.replay(chosen, 'fuzz').done.sort()).toEqual([...chosen].sort());
        }
        // Every ordering key with open records has exactly one head.
        expect(outbox.db.prepare(headsPerKey).all()).toEqual([]);
        clock.advance(Math.floor(random() * 150));
      }
      expect(next).toBe(total);
      expect(outbox.counts('conn-a').pending).toBe(0);
      return { captured, sent, outbox };
    }

    it.each([1, 42, 20240115])(
      'seed %i: delivered order per key equals capture order (delivered/retry only)',
      (seed) => {
        const { captured, sent, outbox } = run(seed, ['delivered', 'delivered', 'retry']);
        for (const [key, ids] of captured) expect(sent.get(key), `ordering key ${key}`).toEqual(ids);
        expect(outbox.counts('conn-a')).toEqual({ pending: 0, pendingBytes: 0, dead: 0 });
      },
    );

    it('with dead letters too, delivered order per key is capture order minus the dead ones', () => {
      const { captured, sent, outbox } = run(7, ['delivered', 'delivered', 'retry', 'dead']);
      const dead = new Set(
        outbox.deadLetters({ connection: 'conn-a', limit: 1000 }).map((r) => r.idempotencyKey),
      );
      expect(dead.size).toBeGreaterThan(0);
      expect(outbox.counts('conn-a').dead).toBe(dead.size);
      for (const [key, ids] of captured)
        expect(sent.get(key), `ordering key ${key}`).toEqual(ids.filter((id) => !dead.has(id)));
    });

    it('with replays of dead letters, each key keeps exactly one head and every record ends delivered once or dead', () => {
      const { captured, sent, outbox } = run(99, ['delivered', 'retry', 'dead', 'dead'], 0.3);
      const dead = outbox.deadLetters({ connection: 'conn-a', limit: 1000 }).map((r) => r.idempotencyKey);
      const delivered = [...sent.values()].flat();
      expect(new Set(delivered).size).toBe(delivered.length);
      expect([...delivered, ...dead].sort()).toEqual([...captured.values()].flat().sort());
      expect(outbox.audit.recent('dead-letter.replay', 1000).length).toBeGreaterThan(0);
    });
  });

  it('reports delivered records with their origin, and deliveryStates looks records up by key', () => {
    const { clock, outbox } = setup();
    const origin = { file: 'in/a.csv', sha256: 'ab12' };
    outbox.enqueue(
      'conn-a',
      batch([change('a', { orderingKey: 'a', origin }), change('b', { orderingKey: 'b' })]),
    );
    const lease = leaseKeys(outbox);
    const [a, b] = lease.records as [OutgoingRecord, OutgoingRecord];
    const result = outbox.settle(lease.token, [
      delivered(a, clock()),
      { id: b.id, kind: 'retry', retryAt: clock.now + 1000, error: 'HTTP 503', latencyMs: 1 },
    ]);
    expect(result.delivered).toEqual([{ idempotencyKey: 'a', origin }]);
    const states = outbox.deliveryStates('conn-a', ['a', 'b', 'unknown']);
    expect(states).toEqual(
      new Map([
        ['a', 'delivered'],
        ['b', 'pending'],
      ]),
    );
    expect(outbox.deliveryStates('conn-b', ['a']).size).toBe(0);
  });

  it('settles the outcomes of several leases in one group: each its own result, the next of a key unblocked, a stale one ignored', async () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { orderingKey: 'A' }),
        change('a2', { orderingKey: 'A' }),
        change('b1', { orderingKey: 'B' }),
      ]),
    );
    const first = leaseKeys(outbox, 'conn-a', { max: 1 });
    const second = leaseKeys(outbox, 'conn-a', { max: 1 });
    expect([first.keys, second.keys]).toEqual([['a1'], ['b1']]);
    const settles = new GroupSettle(outbox);
    const results = await Promise.all([
      settles.settle(first.token, [delivered(first.records[0]!, clock())]),
      settles.settle(second.token, [retry(second.records[0]!.id, clock.now + 5000)]),
      settles.settle('not-a-lease', [delivered(first.records[0]!, clock())]),
    ]);
    expect(results.map((r) => [r.settled, r.stale.length, r.delivered.map((d) => d.idempotencyKey)])).toEqual(
      [
        [1, 0, ['a1']],
        [1, 0, []],
        [0, 1, []],
      ],
    );
    expect(leaseKeys(outbox).keys).toEqual(['a2']); // a1 delivered unblocked a2; b1 waits for its retry time
    expect(outbox.timeline(second.records[0]!.id)!.events.map((e) => e.kind)).toEqual([
      'captured',
      'queued',
      'attempt',
    ]);
  });
});

describe('group settle', () => {
  it(`commits at most ${settlementsPerCommit} settlements at once (a bigger lease alone), oldest first`, async () => {
    const { clock, outbox } = setup();
    const sizes = [300, 300, 1, 1, 700, 100];
    const changes = sizes.flatMap((n, lease) =>
      Array.from({ length: n }, (_, i) => change(`l${lease}-${i}`, { orderingKey: `L${lease}-${i}` })),
    );
    outbox.enqueue('conn-a', batch(changes));
    const leases = sizes.map((n) => leaseKeys(outbox, 'conn-a', { max: n }));
    expect(leases.map((l) => l.records.length)).toEqual(sizes);
    const commits: number[][] = [];
    const settles = new GroupSettle({
      settleGroups: (groups, durability) => {
        commits.push(groups.map((g) => g.settlements.length));
        return outbox.settleGroups(groups, durability);
      },
      durable: () => outbox.durable(),
    });
    const results = await Promise.all(
      leases.map((l) =>
        settles.settle(
          l.token,
          l.records.map((r) => delivered(r, clock())),
        ),
      ),
    );
    expect(commits).toEqual([[300], [300, 1, 1], [700], [100]]);
    expect(results.map((r) => r.settled)).toEqual(sizes);
    expect(outbox.counts('conn-a').pending).toBe(0);
  });

  it('a sender hears its outcome at commit; its durable resolves only once the commit is on disk, or rejects', async () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('a', { orderingKey: 'A' }), change('b', { orderingKey: 'B' })]));
    const [first, second] = [
      leaseKeys(outbox, 'conn-a', { max: 1 }),
      leaseKeys(outbox, 'conn-a', { max: 1 }),
    ];
    let synced!: () => void;
    let failed!: (error: Error) => void;
    const syncs = [
      new Promise<void>((resolve) => (synced = resolve)),
      new Promise<void>((_resolve, reject) => (failed = reject)),
    ];
    const durabilities: (string | undefined)[] = [];
    const settles = new GroupSettle({
      settleGroups: (groups, durability) => {
        durabilities.push(durability);
        return outbox.settleGroups(groups, durability);
      },
      durable: () => syncs.shift()!,
    });
    const one = await settles.settle(first.token, [delivered(first.records[0]!, clock())]);
    expect(one.settled).toBe(1);
    expect(outbox.counts('conn-a').pending).toBe(1); // committed…
    let onDisk = false;
    const disk = one.durable.then(() => (onDisk = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onDisk).toBe(false); // …but not yet on disk: whatever deletes the delivered file waits
    synced();
    await disk;
    expect(onDisk).toBe(true);
    const two = await settles.settle(second.token, [delivered(second.records[0]!, clock())]);
    failed(new Error('EIO: i/o error, fsync'));
    await expect(two.durable).rejects.toThrow(/EIO/);
    expect(durabilities).toEqual(['deferred', 'deferred']);
  });
});
