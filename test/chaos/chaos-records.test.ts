// The chaos test's own checker: it must see a record applied twice, a record missing, foreign items and a key out of order.
import { describe, expect, it } from 'vitest';
import type { AppliedItem } from '../../main/sandbox/ingest-store.js';
import { seededRandom } from '../support/seeded-random.js';
import { changeFor, checkDeliveries, planRecords } from './chaos-records.js';

const plan = planRecords(40, 4, seededRandom(7));

const item = (seq: number, key = `k${seq}`): AppliedItem => ({
  key,
  seq,
  index: 0,
  path: '/ingest/chaos',
  contentType: 'application/json',
  body: changeFor(plan, seq).payload,
  appliedAt: 0,
});

const all = () => plan.keyOf.map((_, seq) => item(seq));

describe('checkDeliveries', () => {
  it('passes every record once in capture order', () => {
    expect(checkDeliveries(all(), plan)).toEqual({
      appliedTwice: [],
      missing: [],
      foreign: 0,
      outOfOrder: [],
    });
  });

  it('reports a record applied twice and a record never applied', () => {
    const items = all();
    items[5] = item(4);
    const check = checkDeliveries(items, plan);
    expect(check.appliedTwice).toEqual(['rec-000004']);
    expect(check.missing).toEqual(['rec-000005']);
  });

  it('reports records of one ordering key applied out of capture order', () => {
    const key = plan.keyOf[0]!;
    const later = plan.keyOf.findIndex((k, seq) => seq > 0 && k === key);
    const items = all();
    [items[0], items[later]] = [items[later]!, items[0]!];
    expect(checkDeliveries(items, plan).outOfOrder).toEqual([{ key, before: later, after: 0 }]);
  });

  it('counts items that are not records of the run', () => {
    const items = [
      ...all(),
      { ...item(0), body: Buffer.from('not json') },
      { ...item(1), body: Buffer.from('{}') },
    ];
    expect(checkDeliveries(items, plan).foreign).toBe(2);
  });
});
