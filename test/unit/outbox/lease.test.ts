// Leasing: oldest heads first, one in flight per ordering key, limits, due times, expiry and orphaned leases.
import { describe, expect, it } from 'vitest';
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
} from './outbox-fixture.js';

const h = outboxHarness();

const setup = () => h.setup();

describe('lease', () => {
  it('hands out the oldest records first with everything a destination needs', () => {
    const { clock, outbox } = setup();
    const t1 = clock.now;
    outbox.enqueue(
      'conn-a',
      batch([change('c', { orderingKey: 'k3', businessKey: 'INV-3', contentType: 'text/csv' })]),
    );
    clock.advance(10);
    outbox.enqueue('conn-a', batch([change('a', { orderingKey: 'k1' })]));
    clock.advance(10);
    outbox.enqueue('conn-a', batch([change('b', { orderingKey: 'k2' })]));

    const lease = leaseKeys(outbox);
    expect(lease.keys).toEqual(['c', 'a', 'b']);
    expect(lease.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(lease.records[0]).toEqual({
      id: idOf(outbox, 'c'),
      idempotencyKey: 'c',
      businessKey: 'INV-3',
      contentType: 'text/csv',
      payload: change('c').payload,
      attempts: 1,
    });
    const row = rowOf(outbox, lease.records[0]!.id)!;
    expect(row).toMatchObject({
      state: 'leased',
      lease_token: lease.token,
      lease_expires_at: clock.now + 60_000,
      attempts: 1,
    });
    expect(row.next_attempt_at).toBe(t1);
  });

  it('leases only the head of each ordering key while it is in flight', () => {
    const { outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { orderingKey: 'A' }),
        change('a2', { orderingKey: 'A' }),
        change('b1', { orderingKey: 'B' }),
      ]),
    );
    outbox.enqueue('conn-a', batch([change('a3', { orderingKey: 'A' }), change('b2', { orderingKey: 'B' })]));
    expect(leaseKeys(outbox).keys).toEqual(['a1', 'b1']);
    expect(leaseKeys(outbox).keys).toEqual([]);
  });

  it('a head waiting for a retry blocks its own key only', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { orderingKey: 'A' }),
        change('a2', { orderingKey: 'A' }),
        change('b1', { orderingKey: 'B' }),
        change('b2', { orderingKey: 'B' }),
      ]),
    );
    outbox.enqueue('conn-a', batch([change('b3', { orderingKey: 'B' })]));
    const first = leaseKeys(outbox);
    expect(first.keys).toEqual(['a1', 'b1']);
    const [a1, b1] = first.records;
    outbox.settle(first.token, [retry(a1!.id, clock.now + 60_000), delivered(b1!, clock())]);

    const sent: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      const lease = leaseKeys(outbox);
      sent.push(...lease.keys);
      outbox.settle(
        lease.token,
        lease.records.map((r) => delivered(r, clock())),
      );
    }
    expect(sent).toEqual(['b2', 'b3']);
    expect(rowOf(outbox, idOf(outbox, 'a2'))!.state).toBe('pending');

    clock.advance(60_000);
    expect(leaseKeys(outbox).keys).toEqual(['a1']);
  });

  it('respects maxBytes but always hands out at least one record', () => {
    const { outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('r1', { orderingKey: 'k1', payload: Buffer.alloc(400) }),
        change('r2', { orderingKey: 'k2', payload: Buffer.alloc(400) }),
        change('r3', { orderingKey: 'k3', payload: Buffer.alloc(400) }),
      ]),
    );
    expect(leaseKeys(outbox, 'conn-a', { maxBytes: 1000 }).keys).toEqual(['r1', 'r2']);
    expect(leaseKeys(outbox, 'conn-a', { maxBytes: 10 }).keys).toEqual(['r3']);

    outbox.enqueue('conn-a', batch([change('r4', { orderingKey: 'k4', payload: Buffer.alloc(100) })]));
    expect(leaseKeys(outbox, 'conn-a', { maxBytes: 100 }).keys).toEqual(['r4']); // exactly at the limit fits
  });

  it('respects max', () => {
    const { outbox } = setup();
    outbox.enqueue('conn-a', batch(['r1', 'r2', 'r3', 'r4', 'r5'].map((k) => change(k, { orderingKey: k }))));
    expect(leaseKeys(outbox, 'conn-a', { max: 2 }).keys).toEqual(['r1', 'r2']);
    expect(leaseKeys(outbox, 'conn-a', { max: 2 }).keys).toEqual(['r3', 'r4']);
    expect(leaseKeys(outbox, 'conn-a', { max: 2 }).keys).toEqual(['r5']);
    expect(leaseKeys(outbox, 'conn-a', { max: 2 }).keys).toEqual([]);
  });

  it('does not lease a record before its next attempt time', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('r1')]));
    const lease = leaseKeys(outbox);
    const retryAt = clock.now + 5000;
    outbox.settle(lease.token, [retry(lease.records[0]!.id, retryAt)]);
    clock.advance(4999);
    expect(leaseKeys(outbox).keys).toEqual([]);
    clock.advance(1);
    const again = leaseKeys(outbox);
    expect(again.keys).toEqual(['r1']);
    expect(again.records[0]!.attempts).toBe(2);
  });

  it('retried records go behind records that are already due', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('old', { orderingKey: 'k1' })]));
    const lease = leaseKeys(outbox);
    outbox.settle(lease.token, [retry(lease.records[0]!.id, clock.now + 1000)]);
    clock.advance(500);
    outbox.enqueue('conn-a', batch([change('new', { orderingKey: 'k2' })]));
    clock.advance(5000);
    expect(leaseKeys(outbox).keys).toEqual(['new', 'old']);
  });

  it('only leases records of the requested connection', () => {
    const { outbox } = setup();
    outbox.enqueue('conn-a', batch([change('a')]));
    outbox.enqueue('conn-b', batch([change('b')]));
    expect(leaseKeys(outbox, 'conn-b').keys).toEqual(['b']);
    expect(leaseKeys(outbox, 'conn-c').keys).toEqual([]);
    expect(leaseKeys(outbox, 'conn-a').keys).toEqual(['a']);
  });

  it('expired leases come back with a lease-expired event, and attempts are counted', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('r1', { orderingKey: 'A' }), change('r2', { orderingKey: 'A' })]));
    const first = leaseKeys(outbox, 'conn-a', { leaseMs: 1000 });
    expect(first.keys).toEqual(['r1']);
    const id = first.records[0]!.id;

    clock.advance(999);
    expect(leaseKeys(outbox, 'conn-a', { leaseMs: 1000 }).keys).toEqual([]);
    clock.advance(1);
    const second = leaseKeys(outbox, 'conn-a', { leaseMs: 1000 });
    expect(second.keys).toEqual(['r1']); // still the head: r2 stays blocked
    expect(second.token).not.toBe(first.token);
    expect(second.records[0]!.attempts).toBe(2);
    expect(rowOf(outbox, id)).toMatchObject({ attempts: 2, lease_token: second.token, state: 'leased' });

    const events = outbox.timeline(id)!.events;
    expect(events.filter((e) => e.kind === 'lease-expired')).toEqual([
      { at: clock.now, kind: 'lease-expired', detail: null },
    ]);
  });

  it('a settle with the token of an expired, re-leased lease is ignored as stale and changes nothing', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('r1'), change('r2')]));
    const first = leaseKeys(outbox, 'conn-a', { leaseMs: 1000 });
    clock.advance(1000);
    const second = leaseKeys(outbox, 'conn-a', { leaseMs: 1000 });
    const id = first.records[0]!.id;
    const before = rowOf(outbox, id);
    const countsBefore = outbox.counts('conn-a');

    expect(outbox.settle(first.token, [delivered(first.records[0]!, clock())])).toEqual({
      settled: 0,
      stale: [id],
      delivered: [],
    });
    expect(outbox.settle(first.token, [{ id, kind: 'dead', error: 'late', latencyMs: 1 }])).toEqual({
      settled: 0,
      stale: [id],
      delivered: [],
    });
    expect(outbox.settle('not-a-token', [retry(id, clock.now + 10)])).toEqual({
      settled: 0,
      stale: [id],
      delivered: [],
    });
    expect(rowOf(outbox, id)).toEqual(before);
    expect(outbox.counts('conn-a')).toEqual(countsBefore);
    expect(outbox.timeline(id)!.events.map((e) => e.kind)).toEqual(['captured', 'queued', 'lease-expired']);
    // The record still blocks its key (r2 not leasable) and the current lease settles normally.
    expect(leaseKeys(outbox).keys).toEqual([]);
    expect(outbox.settle(second.token, [delivered(second.records[0]!, clock())])).toEqual({
      settled: 1,
      stale: [],
      delivered: [{ idempotencyKey: 'r1', origin: null }],
    });
    expect(leaseKeys(outbox).keys).toEqual(['r2']);
  });

  it('releases leases orphaned by a previous process when the outbox is opened again', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('r1', { orderingKey: 'A' }),
        change('r2', { orderingKey: 'A' }),
        change('b1', { orderingKey: 'B' }),
      ]),
    );
    const lease = leaseKeys(outbox, 'conn-a', { leaseMs: 3_600_000 });
    expect(lease.keys).toEqual(['r1', 'b1']);
    outbox.close(); // crash: never settled

    const reopened = h.open(h.file(), defaultOptions, clock); // same time: the lease has not expired
    expect(rowOf(reopened, lease.records[0]!.id)).toMatchObject({
      state: 'pending',
      lease_token: null,
      lease_expires_at: null,
    });
    const again = leaseKeys(reopened);
    expect(again.keys).toEqual(['r1', 'b1']);
    expect(again.records.map((r) => r.attempts)).toEqual([2, 2]);
    // The old token is void.
    expect(reopened.settle(lease.token, [delivered(lease.records[0]!, clock())]).stale).toEqual([
      lease.records[0]!.id,
    ]);
    expect(reopened.counts('conn-a').pending).toBe(3);
  });

  it('nextDueAt tells when the next head becomes due, ignoring in-flight and blocked records', () => {
    const { clock, outbox } = setup();
    expect(outbox.nextDueAt('conn-a')).toBeUndefined();
    const t1 = clock.now;
    outbox.enqueue('conn-a', batch([change('a1', { orderingKey: 'A' }), change('a2', { orderingKey: 'A' })]));
    expect(outbox.nextDueAt('conn-a')).toBe(t1);

    clock.advance(100);
    const lease = leaseKeys(outbox);
    expect(lease.keys).toEqual(['a1']);
    expect(outbox.nextDueAt('conn-a')).toBeUndefined(); // a2 is blocked behind the leased a1

    outbox.settle(lease.token, [retry(lease.records[0]!.id, t1 + 30_000)]);
    expect(outbox.nextDueAt('conn-a')).toBe(t1 + 30_000); // not a2's earlier created time

    clock.advance(100);
    outbox.enqueue('conn-a', batch([change('b1', { orderingKey: 'B' })]));
    expect(outbox.nextDueAt('conn-a')).toBe(t1 + 200);
    expect(outbox.nextDueAt('conn-b')).toBeUndefined();
  });
});
