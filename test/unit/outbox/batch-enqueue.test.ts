// A batch written by multi-row statements (64, 32, … rows each): ids, payloads, dedupe and per-key order as one by one.
import { describe, expect, it } from 'vitest';
import type { CapturedChange } from '../../../connectors/core/change.js';
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

/** 203 changes over three ordering keys, a rejected one in the middle and two keys repeated later in the batch. */
function mixedBatch(): CapturedChange[] {
  const changes = Array.from({ length: 200 }, (_, i) =>
    change(`k${i}`, { orderingKey: `K${i % 3}`, payload: Buffer.from(`payload of k${i}`) }),
  );
  changes.splice(100, 0, change('bad', { orderingKey: 'K1', rejected: { reason: 'row 100 is malformed' } }));
  changes.splice(120, 0, change('k5', { orderingKey: 'K2', payload: Buffer.from('second capture of k5') }));
  changes.push(change('k150', { orderingKey: 'K0', payload: Buffer.from('second capture of k150') }));
  return changes;
}

describe('enqueue of a large batch', () => {
  it('gives ids in capture order, keeps each payload with its record and each key once (the first capture)', () => {
    const outbox = h.open(h.file(), defaultOptions, testClock());
    outbox.enqueue('conn-a', batch([change('k7', { orderingKey: 'K1' })]));
    const result = outbox.enqueue('conn-a', batch(mixedBatch(), [{ key: 'pos', value: '203' }]));

    // k7 was stored before, k5 and k150 come twice: 201 distinct new keys, the rejected one included.
    expect(result).toEqual({ inserted: 200, duplicates: 3 });
    const order = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k8'];
    const ids = order.map((k) => idOf(outbox, k));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(idOf(outbox, 'bad')).toBe(idOf(outbox, 'k99') + 1);
    expect(idOf(outbox, 'k100')).toBe(idOf(outbox, 'bad') + 1);
    for (const key of ['k0', 'k63', 'k64', 'k150', 'k199'])
      expect(rowOf(outbox, idOf(outbox, key))?.payload?.toString()).toBe(`payload of ${key}`);
    expect(rowOf(outbox, idOf(outbox, 'k5'))?.payload?.toString()).toBe('payload of k5');
    const bad = rowOf(outbox, idOf(outbox, 'bad'));
    expect(bad).toMatchObject({ state: 'dead', last_error: 'row 100 is malformed' });
    expect(outbox.counts('conn-a')).toMatchObject({ pending: 200, dead: 1 });
    expect(outbox.checkpoint('conn-a', 'pos')).toBe('203');
  });

  it('queues each key behind its open tail and behind the batch records of the same key before it', () => {
    const clock = testClock();
    const outbox = h.open(h.file(), defaultOptions, clock);
    outbox.enqueue(
      'conn-a',
      batch([change('k7', { orderingKey: 'K1' }), change('old', { orderingKey: 'K0' })]),
    );
    outbox.enqueue('conn-a', batch(mixedBatch()));
    const orderingKey = outbox.db.prepare('SELECT ordering_key FROM records WHERE id = ?').pluck();

    const sent: string[] = [];
    for (;;) {
      const lease = leaseKeys(outbox);
      if (lease.records.length === 0) break;
      // Only one record per key is ever a head: a lease holds at most one of each.
      const keys = lease.records.map((r) => orderingKey.get(r.id) as string);
      expect(new Set(keys).size).toBe(lease.records.length);
      sent.push(...lease.keys);
      outbox.settle(
        lease.token,
        lease.records.map((r) => delivered(r, clock())),
      );
    }
    const ofKey = (k: number) =>
      Array.from({ length: 200 }, (_, i) => i)
        .filter((i) => i % 3 === k && !(k === 1 && i === 7))
        .map((i) => `k${i}`);
    expect(sent.filter((key) => ofKey(0).includes(key) || key === 'old')).toEqual(['old', ...ofKey(0)]);
    expect(sent.filter((key) => ofKey(1).includes(key) || key === 'k7')).toEqual(['k7', ...ofKey(1)]);
    expect(sent.filter((key) => ofKey(2).includes(key))).toEqual(ofKey(2));
    expect(sent).toHaveLength(201);
    const tails = outbox.db
      .prepare('SELECT ordering_key, record_id FROM ordering_tails ORDER BY ordering_key')
      .all();
    expect(tails).toEqual([
      { ordering_key: 'K0', record_id: idOf(outbox, 'k198') },
      { ordering_key: 'K1', record_id: idOf(outbox, 'k199') },
      { ordering_key: 'K2', record_id: idOf(outbox, 'k197') },
    ]);
  });
});
