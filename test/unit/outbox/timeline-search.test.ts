// Record timelines and search by business key (exact and prefix) or idempotency key; payloads never leave.
import { describe, expect, it } from 'vitest';
import { batch, change, delivered, idOf, leaseKeys, outboxHarness } from './outbox-fixture.js';

const h = outboxHarness();

const setup = () => h.setup();

const secret = 'SECRET-PAYLOAD-CONTENT';

describe('timeline', () => {
  it('shows captured, queued, each attempt and the delivery with its receipt, in order', () => {
    const { clock, outbox } = setup();
    const t0 = clock.now;
    outbox.enqueue(
      'conn-a',
      batch([
        change('k1', {
          businessKey: 'INV-1',
          origin: { file: 'in/invoices.csv', row: 3 },
          payload: Buffer.from(secret),
        }),
      ]),
    );
    const id = idOf(outbox, 'k1');

    clock.advance(100);
    let lease = leaseKeys(outbox);
    clock.advance(50);
    outbox.settle(lease.token, [
      { id, kind: 'retry', retryAt: clock.now + 1000, error: 'ECONNRESET', latencyMs: 50 },
    ]);
    clock.advance(1000);
    lease = leaseKeys(outbox);
    clock.advance(20);
    outbox.settle(lease.token, [
      { id, kind: 'retry', retryAt: clock.now + 2000, error: 'HTTP 429', code: 'HTTP 429', latencyMs: 20 },
    ]);
    clock.advance(2000);
    lease = leaseKeys(outbox);
    clock.advance(30);
    const receipt = { code: 'HTTP 201', serverId: 'inv_9f2', at: clock.now };
    outbox.settle(lease.token, [delivered(lease.records[0]!, clock.now, 'inv_9f2')]);

    const timeline = outbox.timeline(id)!;
    expect(timeline.events.map((e) => e.kind)).toEqual([
      'captured',
      'queued',
      'attempt',
      'attempt',
      'delivered',
    ]);
    const times = timeline.events.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(timeline.events[0]).toEqual({
      at: t0,
      kind: 'captured',
      detail: { file: 'in/invoices.csv', row: 3 },
    });
    expect(timeline.events[1]).toEqual({
      at: t0,
      kind: 'queued',
      detail: { idempotencyKey: 'k1', size: secret.length },
    });
    expect(timeline.events[2]!.detail).toEqual({ latencyMs: 50, error: 'ECONNRESET', retryAt: t0 + 1150 });
    expect(timeline.events[3]!.detail).toMatchObject({
      error: 'HTTP 429',
      code: 'HTTP 429',
      retryAt: t0 + 3170,
    });
    expect(timeline.events[4]).toEqual({
      at: clock.now,
      kind: 'delivered',
      detail: { latencyMs: 12, receipt },
    });
    expect(timeline.record).toMatchObject({
      id,
      state: 'delivered',
      attempts: 3,
      receipt,
      businessKey: 'INV-1',
    });
    expect('payload' in timeline.record).toBe(false);
    expect(JSON.stringify(timeline)).not.toContain(secret);
  });

  it('shows lease expiry, dead letter, replay and discard', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('k1')]));
    const id = idOf(outbox, 'k1');
    leaseKeys(outbox, 'conn-a', { leaseMs: 100 });
    clock.advance(100);
    const lease = leaseKeys(outbox);
    outbox.settle(lease.token, [{ id, kind: 'dead', error: 'HTTP 404', code: 'HTTP 404', latencyMs: 5 }]);
    outbox.replay([id], 'ops');
    const again = leaseKeys(outbox);
    outbox.settle(again.token, [{ id, kind: 'dead', error: 'HTTP 404', code: 'HTTP 404', latencyMs: 5 }]);
    outbox.discard([id], 'ops');
    expect(outbox.timeline(id)!.events.map((e) => e.kind)).toEqual([
      'captured',
      'queued',
      'lease-expired',
      'dead',
      'replayed',
      'dead',
      'discarded',
    ]);
  });

  it('captured detail is null without an origin; unknown ids have no timeline', () => {
    const { outbox } = setup();
    outbox.enqueue('conn-a', batch([change('k1')]));
    expect(outbox.timeline(idOf(outbox, 'k1'))!.events[0]).toMatchObject({ kind: 'captured', detail: null });
    expect(outbox.timeline(424242)).toBeUndefined();
  });
});

describe('search', () => {
  function seeded() {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('ka-100', { businessKey: 'INV-100', orderingKey: '1', payload: Buffer.from(secret) }),
        change('ka-1001', { businessKey: 'INV-1001', orderingKey: '2', payload: Buffer.from(secret) }),
        change('ka-101', { businessKey: 'INV-101', orderingKey: '3', payload: Buffer.from(secret) }),
        change('ka-200', { businessKey: 'INV-200', orderingKey: '4', payload: Buffer.from(secret) }),
        change('ka-none', { orderingKey: '5', payload: Buffer.from(secret) }),
        change('shared-key', { businessKey: 'inv-100', orderingKey: '6', payload: Buffer.from(secret) }),
      ]),
    );
    outbox.enqueue(
      'conn-b',
      batch([change('shared-key', { businessKey: 'INV-100', payload: Buffer.from(secret) })]),
    );
    return { clock, outbox };
  }

  it('finds a business key exactly and every key it prefixes, case-sensitively, across connections', () => {
    const { outbox } = seeded();
    const keys = (q: string, limit = 50) =>
      outbox.search({ businessKey: q, limit }).map((r) => `${r.connection}/${r.businessKey}`);
    expect(keys('INV-100')).toEqual(['conn-a/INV-100', 'conn-b/INV-100', 'conn-a/INV-1001']);
    expect(keys('INV-1001')).toEqual(['conn-a/INV-1001']);
    expect(keys('INV-1')).toEqual(['conn-a/INV-100', 'conn-b/INV-100', 'conn-a/INV-1001', 'conn-a/INV-101']);
    expect(keys('INV-')).toHaveLength(5);
    expect(keys('INV-', 2)).toHaveLength(2);
    expect(keys('inv')).toEqual(['conn-a/inv-100']);
    expect(keys('INV-3')).toEqual([]);
    expect(keys('')).toEqual([]);
  });

  it('finds an idempotency key exactly, on every connection, never by prefix', () => {
    const { outbox } = seeded();
    const found = outbox.search({ idempotencyKey: 'shared-key', limit: 10 });
    expect(found.map((r) => r.connection).sort()).toEqual(['conn-a', 'conn-b']);
    expect(outbox.search({ idempotencyKey: 'ka-100', limit: 10 }).map((r) => r.idempotencyKey)).toEqual([
      'ka-100',
    ]);
    expect(outbox.search({ idempotencyKey: 'ka-', limit: 10 })).toEqual([]);
    expect(outbox.search({ idempotencyKey: 'shared-key', limit: 1 })).toHaveLength(1);
  });

  it('a query with both keys returns each record once', () => {
    const { outbox } = seeded();
    const found = outbox.search({ businessKey: 'INV-100', idempotencyKey: 'ka-100', limit: 10 });
    expect(found.map((r) => r.idempotencyKey)).toEqual(['ka-100', 'shared-key', 'ka-1001']);
    expect(outbox.search({ limit: 10 })).toEqual([]);
  });

  it('never includes payloads, whatever the state of the record', () => {
    const { clock, outbox } = seeded();
    const lease = leaseKeys(outbox);
    outbox.settle(lease.token, [
      delivered(lease.records[0]!, clock()),
      { id: lease.records[1]!.id, kind: 'dead', error: 'x', latencyMs: 1 },
    ]);
    const results = [
      ...outbox.search({ businessKey: 'INV', limit: 50 }),
      ...outbox.search({ idempotencyKey: 'shared-key', limit: 50 }),
    ];
    expect(results.length).toBeGreaterThan(4);
    for (const r of results) {
      expect('payload' in r).toBe(false);
      expect(r.size).toBe(secret.length);
    }
    expect(JSON.stringify(results)).not.toContain(secret);
    expect(results.map((r) => r.state)).toEqual(expect.arrayContaining(['delivered', 'dead', 'pending']));
  });
});
