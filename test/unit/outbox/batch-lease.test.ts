// Batch leasing: a batch keeps its members and its derived key across retries, expiry, restarts and replays.
import { describe, expect, it } from 'vitest';
import { batchIdempotencyKey } from '../../../connectors/core/batch-key.js';
import { batch, bigLease, change, delivered, idOf, outboxHarness, retry, rowOf } from './outbox-fixture.js';

const h = outboxHarness();

const batchLease = { ...bigLease, batch: true };

function enqueueKeys(outbox: ReturnType<typeof h.setup>['outbox'], keys: string[]) {
  outbox.enqueue('conn-a', batch(keys.map((k) => change(k, { orderingKey: `order-${k}` }))));
}

describe('batch lease', () => {
  it('forms a batch of due heads, derives its key from the members and stores it on them', () => {
    const { outbox } = h.setup();
    enqueueKeys(outbox, ['a', 'b', 'c']);
    const lease = outbox.lease({ connection: 'conn-a', ...batchLease, max: 2 });
    expect(lease.records.map((r) => r.idempotencyKey)).toEqual(['a', 'b']);
    expect(lease.batchKey).toBe(batchIdempotencyKey(['a', 'b']));
    const stored = outbox.db.prepare('SELECT idempotency_key, batch_key FROM records ORDER BY id').all();
    expect(stored).toEqual([
      { idempotency_key: 'a', batch_key: lease.batchKey },
      { idempotency_key: 'b', batch_key: lease.batchKey },
      { idempotency_key: 'c', batch_key: null },
    ]);
  });

  it('the derived key depends on exactly the members and their order', () => {
    expect(batchIdempotencyKey(['a', 'b'])).toBe(batchIdempotencyKey(['a', 'b']));
    expect(batchIdempotencyKey(['a', 'b'])).not.toBe(batchIdempotencyKey(['b', 'a']));
    expect(batchIdempotencyKey(['a', 'b'])).not.toBe(batchIdempotencyKey(['a', 'b', 'c']));
    expect(batchIdempotencyKey(['ab'])).not.toBe(batchIdempotencyKey(['a', 'b']));
  });

  it('a retried batch comes back whole, with the same key, even when newer records are due first', () => {
    const { clock, outbox } = h.setup();
    enqueueKeys(outbox, ['a', 'b']);
    const first = outbox.lease({ connection: 'conn-a', ...batchLease });
    outbox.settle(
      first.token,
      first.records.map((r) => retry(r.id, clock.now + 1000)),
    );
    enqueueKeys(outbox, ['c', 'd', 'e']);
    const fresh = outbox.lease({ connection: 'conn-a', ...batchLease });
    expect(fresh.records.map((r) => r.idempotencyKey)).toEqual(['c', 'd', 'e']);
    clock.advance(1000);
    const again = outbox.lease({ connection: 'conn-a', ...batchLease, max: 1 });
    expect(again.records.map((r) => r.idempotencyKey)).toEqual(['a', 'b']);
    expect(again.batchKey).toBe(first.batchKey);
    expect(again.records.every((r) => r.attempts === 2)).toBe(true);
  });

  it('an expired batch lease (a crash mid-send) is leased again with the same members and key', () => {
    const { clock, outbox } = h.setup();
    enqueueKeys(outbox, ['a', 'b', 'c']);
    const first = outbox.lease({ connection: 'conn-a', ...batchLease, leaseMs: 5000 });
    enqueueKeys(outbox, ['d']);
    clock.advance(5000);
    const again = outbox.lease({ connection: 'conn-a', ...batchLease });
    expect(again.batchKey).toBe(first.batchKey);
    expect(again.records.map((r) => r.idempotencyKey)).toEqual(['a', 'b', 'c']);
  });

  it('orphaned batch leases released at start-up keep their batch', () => {
    const { outbox } = h.setup();
    enqueueKeys(outbox, ['a', 'b']);
    const first = outbox.lease({ connection: 'conn-a', ...batchLease });
    const file = outbox.db.name;
    outbox.close();
    const reopened = h.open(file);
    const again = reopened.lease({ connection: 'conn-a', ...batchLease });
    expect(again.batchKey).toBe(first.batchKey);
    expect(again.records).toHaveLength(2);
  });

  it('a member dead-lettered on its own (not sendable) leaves the rest of the batch to be retried together', () => {
    const { clock, outbox } = h.setup();
    enqueueKeys(outbox, ['a', 'b', 'c']);
    const first = outbox.lease({ connection: 'conn-a', ...batchLease });
    const [a, b, c] = first.records;
    if (!a || !b || !c) throw new Error('expected three records');
    outbox.settle(first.token, [
      { id: b.id, kind: 'dead', error: 'not sent: not JSON', latencyMs: 0 },
      retry(a.id, clock.now),
      retry(c.id, clock.now),
    ]);
    const again = outbox.lease({ connection: 'conn-a', ...batchLease });
    expect(again.records.map((r) => r.idempotencyKey)).toEqual(['a', 'c']);
    expect(again.batchKey).toBe(first.batchKey);
  });

  it('a replayed dead letter leaves its old batch and is batched afresh', () => {
    const { outbox } = h.setup();
    enqueueKeys(outbox, ['a', 'b']);
    const first = outbox.lease({ connection: 'conn-a', ...batchLease });
    outbox.settle(
      first.token,
      first.records.map((r) => ({
        id: r.id,
        kind: 'dead' as const,
        error: 'HTTP 400',
        status: 400,
        latencyMs: 3,
      })),
    );
    outbox.replay([idOf(outbox, 'b')], 'admin');
    expect(
      outbox.db.prepare('SELECT batch_key FROM records WHERE idempotency_key = ?').pluck().get('b'),
    ).toBeNull();
    const again = outbox.lease({ connection: 'conn-a', ...batchLease });
    expect(again.records.map((r) => r.idempotencyKey)).toEqual(['b']);
    expect(again.batchKey).toBe(batchIdempotencyKey(['b']));
  });

  it('a delivered batch frees the next record of each member ordering key', () => {
    const { clock, outbox } = h.setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { orderingKey: 'A' }),
        change('b1', { orderingKey: 'B' }),
        change('a2', { orderingKey: 'A' }),
      ]),
    );
    const first = outbox.lease({ connection: 'conn-a', ...batchLease });
    expect(first.records.map((r) => r.idempotencyKey)).toEqual(['a1', 'b1']);
    outbox.settle(
      first.token,
      first.records.map((r) => delivered(r, clock.now)),
    );
    const next = outbox.lease({ connection: 'conn-a', ...batchLease });
    expect(next.records.map((r) => r.idempotencyKey)).toEqual(['a2']);
    expect(rowOf(outbox, idOf(outbox, 'a2'))?.blocked).toBe(0);
  });

  it('respects the byte limit for fresh batches but always sends at least one record', () => {
    const { outbox } = h.setup();
    outbox.enqueue(
      'conn-a',
      batch(['a', 'b', 'c'].map((k) => change(k, { orderingKey: k, payload: Buffer.alloc(100, 1) }))),
    );
    expect(outbox.lease({ connection: 'conn-a', ...batchLease, maxBytes: 250 }).records).toHaveLength(2);
    expect(outbox.lease({ connection: 'conn-a', ...batchLease, maxBytes: 10 }).records).toHaveLength(1);
  });

  it('peekReady counts due heads, tells when the first became due and whether it is a stored batch', () => {
    const { clock, outbox } = h.setup();
    expect(outbox.peekReady('conn-a', 10)).toEqual({ count: 0, storedBatch: false });
    const t = clock.now;
    enqueueKeys(outbox, ['a', 'b', 'c']);
    clock.advance(50);
    expect(outbox.peekReady('conn-a', 2)).toEqual({ count: 2, firstDueAt: t, storedBatch: false });
    const lease = outbox.lease({ connection: 'conn-a', ...batchLease });
    outbox.settle(
      lease.token,
      lease.records.slice(0, 2).map((r) => retry(r.id, clock.now)),
    );
    // c was leased with a and b but its settle never came: once that lease expires it rejoins its batch.
    expect(outbox.peekReady('conn-a', 10)).toEqual({ count: 2, firstDueAt: clock.now, storedBatch: true });
  });
});
