// Enqueue: records and their checkpoint commit together, deduplicated by (connection, idempotency key), counted.
import { describe, expect, it } from 'vitest';
import {
  batch,
  bigLease,
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

function recordCount(outbox: ReturnType<typeof h.open>): number {
  return outbox.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
}

describe('enqueue', () => {
  it('commits the records and the checkpoint covering them together, durably', () => {
    const clock = testClock();
    const outbox = h.open(h.file(), defaultOptions, clock);
    const result = outbox.enqueue(
      'conn-a',
      batch(
        [
          change('k1', { businessKey: 'INV-1', origin: { file: 'in/a.csv', row: 1 } }),
          change('k2', { businessKey: 'INV-2', orderingKey: 'key-2' }),
        ],
        [
          { key: 'cursor', value: 'row:2' },
          { key: 'file:in/a.csv', value: 'sha256:abc' },
        ],
      ),
    );
    expect(result).toEqual({ inserted: 2, duplicates: 0 });
    outbox.close();

    const reopened = h.open(h.file(), defaultOptions, clock);
    expect(reopened.checkpoint('conn-a', 'cursor')).toBe('row:2');
    expect(reopened.checkpoints('conn-a')).toEqual(
      new Map([
        ['cursor', 'row:2'],
        ['file:in/a.csv', 'sha256:abc'],
      ]),
    );
    const stored = reopened.timeline(idOf(reopened, 'k1'))!.record;
    expect(stored).toMatchObject({
      connection: 'conn-a',
      idempotencyKey: 'k1',
      orderingKey: 'key-1',
      businessKey: 'INV-1',
      contentType: 'application/json',
      origin: { file: 'in/a.csv', row: 1 },
      createdAt: clock.now,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: clock.now,
    });
    const lease = leaseKeys(reopened);
    expect(lease.keys).toEqual(['k1', 'k2']);
    expect(lease.records[0]!.payload.equals(change('k1').payload)).toBe(true);
  });

  it('stores the same idempotency key once: within a batch, across batches and across restarts', () => {
    const clock = testClock();
    const outbox = h.open(h.file(), defaultOptions, clock);
    expect(outbox.enqueue('conn-a', batch([change('k1'), change('k1'), change('k2')]))).toEqual({
      inserted: 2,
      duplicates: 1,
    });
    expect(outbox.enqueue('conn-a', batch([change('k2'), change('k3')]))).toEqual({
      inserted: 1,
      duplicates: 1,
    });
    outbox.close();
    const reopened = h.open(h.file(), defaultOptions, clock);
    expect(reopened.enqueue('conn-a', batch([change('k1'), change('k2'), change('k3')]))).toEqual({
      inserted: 0,
      duplicates: 3,
    });
    expect(recordCount(reopened)).toBe(3);
    expect(reopened.counts('conn-a').pending).toBe(3);
  });

  it('a duplicate keeps the first capture: payload and position are not overwritten', () => {
    const clock = testClock();
    const outbox = h.open(h.file(), defaultOptions, clock);
    outbox.enqueue('conn-a', batch([change('k1', { payload: Buffer.from('first') })]));
    const id = idOf(outbox, 'k1');
    clock.advance(1000);
    outbox.enqueue('conn-a', batch([change('k1', { payload: Buffer.from('second, longer') })]));
    expect(idOf(outbox, 'k1')).toBe(id);
    expect(rowOf(outbox, id)!.payload!.toString()).toBe('first');
    expect(outbox.counts('conn-a').pendingBytes).toBe(5);
  });

  it('a key that was already delivered is still a duplicate (captured twice, sent once)', () => {
    const clock = testClock();
    const outbox = h.open(h.file(), defaultOptions, clock);
    outbox.enqueue('conn-a', batch([change('k1')]));
    const lease = leaseKeys(outbox);
    outbox.settle(lease.token, [delivered(lease.records[0]!, clock())]);
    expect(outbox.enqueue('conn-a', batch([change('k1')]))).toEqual({ inserted: 0, duplicates: 1 });
    expect(leaseKeys(outbox).keys).toEqual([]);
  });

  it('the same key on two connections is two records', () => {
    const outbox = h.open();
    expect(outbox.enqueue('conn-a', batch([change('k1')])).inserted).toBe(1);
    expect(outbox.enqueue('conn-b', batch([change('k1')])).inserted).toBe(1);
    expect(recordCount(outbox)).toBe(2);
    expect(outbox.counts('conn-a').pending).toBe(1);
    expect(outbox.counts('conn-b').pending).toBe(1);
    expect(leaseKeys(outbox, 'conn-a').keys).toEqual(['k1']);
    expect(leaseKeys(outbox, 'conn-b').keys).toEqual(['k1']);
  });

  it('updates checkpoints in place, a null value deletes, and checkpoints are per source', () => {
    const outbox = h.open();
    outbox.enqueue(
      'conn-a',
      batch(
        [],
        [
          { key: 'pos', value: '1' },
          { key: 'other', value: 'x' },
        ],
      ),
    );
    outbox.enqueue('conn-b', batch([], [{ key: 'pos', value: 'b1' }]));
    outbox.enqueue('conn-a', batch([change('k1')], [{ key: 'pos', value: '2' }]));
    expect(outbox.checkpoint('conn-a', 'pos')).toBe('2');

    outbox.enqueue('conn-a', batch([], [{ key: 'pos', value: null }]));
    expect(outbox.checkpoint('conn-a', 'pos')).toBeUndefined();
    expect(outbox.checkpoints('conn-a')).toEqual(new Map([['other', 'x']]));
    expect(outbox.checkpoint('conn-b', 'pos')).toBe('b1');
    // Deleting a key that does not exist is fine.
    expect(() => outbox.enqueue('conn-a', batch([], [{ key: 'never', value: null }]))).not.toThrow();
    expect(outbox.checkpoint('conn-a', 'missing')).toBeUndefined();
  });

  it('a failing insert in the middle of a batch rolls back the whole batch, checkpoint included', () => {
    const outbox = h.open();
    const notified: string[] = [];
    outbox.onEnqueued((c) => notified.push(c));
    outbox.enqueue('conn-a', batch([change('k0')], [{ key: 'pos', value: '0' }]));
    outbox.db.exec(`CREATE TRIGGER poison BEFORE INSERT ON records WHEN NEW.idempotency_key = 'poison'
                    BEGIN SELECT RAISE(ABORT, 'poisoned record'); END`);
    const before = outbox.counts('conn-a');

    expect(() =>
      outbox.enqueue(
        'conn-a',
        batch([change('k1'), change('poison'), change('k3')], [{ key: 'pos', value: '3' }]),
      ),
    ).toThrow(/poisoned record/);

    expect(outbox.checkpoint('conn-a', 'pos')).toBe('0');
    expect(recordCount(outbox)).toBe(1);
    expect(outbox.counts('conn-a')).toEqual(before);
    expect(notified).toEqual(['conn-a']);
    expect(leaseKeys(outbox).keys).toEqual(['k0']);
  });

  it('a payload that is not a Buffer is rejected and nothing of the batch is kept', () => {
    const outbox = h.open();
    const notBuffer = 'a string' as unknown as Buffer;
    expect(() =>
      outbox.enqueue(
        'conn-a',
        batch([change('k1'), change('k2', { payload: notBuffer })], [{ key: 'pos', value: '2' }]),
      ),
    ).toThrow();
    expect(recordCount(outbox)).toBe(0);
    expect(outbox.checkpoint('conn-a', 'pos')).toBeUndefined();
    expect(outbox.counts('conn-a')).toEqual({ pending: 0, pendingBytes: 0, dead: 0 });
  });

  it('a failing checkpoint write rolls back the records it covers', () => {
    const outbox = h.open();
    outbox.db.exec(`CREATE TRIGGER bad_checkpoint BEFORE INSERT ON checkpoints WHEN NEW.value = 'bad'
                    BEGIN SELECT RAISE(ABORT, 'bad checkpoint'); END`);
    expect(() =>
      outbox.enqueue('conn-a', batch([change('k1'), change('k2')], [{ key: 'pos', value: 'bad' }])),
    ).toThrow(/bad checkpoint/);
    expect(recordCount(outbox)).toBe(0);
    expect(outbox.counts('conn-a').pending).toBe(0);
  });

  it('counts pending records and bytes per connection, and reloads them correctly after reopen', () => {
    const clock = testClock();
    const outbox = h.open(h.file(), defaultOptions, clock);
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { payload: Buffer.alloc(100) }),
        change('a2', { payload: Buffer.alloc(250), orderingKey: 'key-2' }),
        change('a3', { payload: Buffer.alloc(50), orderingKey: 'key-3' }),
      ]),
    );
    outbox.enqueue('conn-b', batch([change('b1', { payload: Buffer.alloc(7) })]));
    expect(outbox.counts('conn-a')).toEqual({ pending: 3, pendingBytes: 400, dead: 0 });
    expect(outbox.counts('conn-b')).toEqual({ pending: 1, pendingBytes: 7, dead: 0 });
    expect(outbox.counts('nobody')).toEqual({ pending: 0, pendingBytes: 0, dead: 0 });

    // Leased records are still undelivered; one delivered, one dead.
    const lease = outbox.lease({ connection: 'conn-a', ...bigLease });
    outbox.settle(lease.token, [
      delivered(lease.records[0]!, clock()),
      { id: lease.records[1]!.id, kind: 'dead', error: '422 rejected', latencyMs: 5 },
    ]);
    expect(outbox.counts('conn-a')).toEqual({ pending: 1, pendingBytes: 50, dead: 1 });
    expect(outbox.counters.totals()).toEqual({ pending: 2, pendingBytes: 57, dead: 1 });
    // counts() hands out a copy.
    outbox.counts('conn-a').pending = 999;
    expect(outbox.counts('conn-a').pending).toBe(1);
    const live = { a: outbox.counts('conn-a'), b: outbox.counts('conn-b') };
    outbox.close();

    const reopened = h.open(h.file(), defaultOptions, clock);
    expect(reopened.counts('conn-a')).toEqual(live.a);
    expect(reopened.counts('conn-b')).toEqual(live.b);
    expect(reopened.counters.connections().sort()).toEqual(['conn-a', 'conn-b']);
  });

  it('stores an empty payload as an empty Buffer, not NULL', () => {
    const outbox = h.open();
    outbox.enqueue('conn-a', batch([change('empty', { payload: Buffer.alloc(0) })]));
    const lease = leaseKeys(outbox);
    expect(Buffer.isBuffer(lease.records[0]!.payload)).toBe(true);
    expect(lease.records[0]!.payload.length).toBe(0);
  });

  it('notifies listeners only when something new was stored, until unsubscribed', () => {
    const outbox = h.open();
    const notified: string[] = [];
    const off = outbox.onEnqueued((c) => notified.push(c));
    outbox.enqueue('conn-a', batch([change('k1')]));
    outbox.enqueue('conn-a', batch([change('k1')])); // duplicate only
    outbox.enqueue('conn-b', batch([], [{ key: 'pos', value: '1' }])); // checkpoint only
    outbox.enqueue('conn-b', batch([change('k1')]));
    off();
    outbox.enqueue('conn-a', batch([change('k2')]));
    expect(notified).toEqual(['conn-a', 'conn-b']);
  });

  it('oldestPendingAt tracks the oldest undelivered record', () => {
    const clock = testClock();
    const outbox = h.open(h.file(), defaultOptions, clock);
    expect(outbox.oldestPendingAt('conn-a')).toBeUndefined();
    const t1 = clock.now;
    outbox.enqueue('conn-a', batch([change('k1')]));
    clock.advance(1000);
    outbox.enqueue('conn-a', batch([change('k2', { orderingKey: 'key-2' })]));
    expect(outbox.oldestPendingAt('conn-a')).toBe(t1);
    const lease = leaseKeys(outbox, 'conn-a', { max: 1 });
    expect(outbox.oldestPendingAt('conn-a')).toBe(t1); // leased is still undelivered
    outbox.settle(lease.token, [delivered(lease.records[0]!, clock())]);
    expect(outbox.oldestPendingAt('conn-a')).toBe(t1 + 1000);
  });
});
