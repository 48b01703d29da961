// Dead-letter queue: paging, replay with the same key (audited), discard, and where a replayed record queues.
import { describe, expect, it } from 'vitest';
import type { Outbox } from '../../../main/outbox/outbox.js';
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
} from './outbox-fixture.js';

const h = outboxHarness();

const setup = () => h.setup();

/** Leases everything due and settles it all as dead. */
function killAll(outbox: Outbox, connection = 'conn-a', error = 'HTTP 400 Bad Request'): number[] {
  const lease = leaseKeys(outbox, connection);
  outbox.settle(
    lease.token,
    lease.records.map((r) => ({ id: r.id, kind: 'dead' as const, error, status: 400, latencyMs: 3 })),
  );
  return lease.records.map((r) => r.id);
}

function deliverAll(outbox: Outbox, clock: TestClock, connection = 'conn-a'): string[] {
  const lease = leaseKeys(outbox, connection);
  outbox.settle(
    lease.token,
    lease.records.map((r) => delivered(r, clock())),
  );
  return lease.keys;
}

describe('dead letters', () => {
  it('pages through the dead letters of one connection, oldest first', () => {
    const { outbox } = setup();
    outbox.enqueue('conn-a', batch(['d1', 'd2', 'd3', 'd4', 'd5'].map((k) => change(k, { orderingKey: k }))));
    outbox.enqueue('conn-a', batch([change('alive', { orderingKey: 'alive' })]));
    outbox.enqueue('conn-b', batch([change('other', { orderingKey: 'other' })]));
    const lease = leaseKeys(outbox);
    outbox.settle(
      lease.token,
      lease.records
        .filter((r) => r.idempotencyKey !== 'alive')
        .map((r) => ({ id: r.id, kind: 'dead' as const, error: `bad ${r.idempotencyKey}`, latencyMs: 1 })),
    );
    killAll(outbox, 'conn-b');

    const pages: string[][] = [];
    let afterId: number | undefined;
    for (;;) {
      const page = outbox.deadLetters({
        connection: 'conn-a',
        limit: 2,
        ...(afterId === undefined ? {} : { afterId }),
      });
      if (page.length === 0) break;
      pages.push(page.map((r) => r.idempotencyKey));
      afterId = page.at(-1)!.id;
    }
    expect(pages).toEqual([['d1', 'd2'], ['d3', 'd4'], ['d5']]);
    const first = outbox.deadLetters({ connection: 'conn-a', limit: 1 })[0]!;
    expect(first).toMatchObject({ state: 'dead', lastError: 'bad d1', idempotencyKey: 'd1', attempts: 1 });
    expect(first.payload!.equals(change('d1').payload)).toBe(true);
    expect(outbox.deadLetters({ connection: 'conn-b', limit: 10 }).map((r) => r.idempotencyKey)).toEqual([
      'other',
    ]);
  });

  it('replay keeps the idempotency key, makes the record leasable now, and is recorded in timeline and audit log', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('k1', { payload: Buffer.alloc(42) })]));
    const [id] = killAll(outbox);
    expect(outbox.counts('conn-a')).toEqual({ pending: 0, pendingBytes: 0, dead: 1 });
    const notified: string[] = [];
    outbox.onEnqueued((c) => notified.push(c));

    clock.advance(3_600_000);
    expect(outbox.replay([id!], 'operator@cli')).toEqual({ done: [id], skipped: [] });
    expect(outbox.counts('conn-a')).toEqual({ pending: 1, pendingBytes: 42, dead: 0 });
    expect(notified).toContain('conn-a');
    expect(rowOf(outbox, id!)).toMatchObject({
      state: 'pending',
      next_attempt_at: clock.now,
      settled_at: null,
      last_error: null,
      blocked: 0,
    });
    expect(outbox.deadLetters({ connection: 'conn-a', limit: 10 })).toEqual([]);

    const lease = leaseKeys(outbox);
    expect(lease.records).toHaveLength(1);
    expect(lease.records[0]).toMatchObject({ id, idempotencyKey: 'k1', attempts: 2 });

    const events = outbox.timeline(id!)!.events;
    expect(events.map((e) => e.kind)).toEqual(['captured', 'queued', 'dead', 'replayed']);
    expect(events.at(-1)).toEqual({ at: clock.now, kind: 'replayed', detail: { actor: 'operator@cli' } });

    const audit = outbox.audit.recent('dead-letter.replay');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      at: clock.now,
      actor: 'operator@cli',
      action: 'dead-letter.replay',
      detail: { ids: [id] },
    });
  });

  it('replaying something that is not a dead letter is skipped and not audited', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('dead', { orderingKey: 'x' }),
        change('ok', { orderingKey: 'y' }),
        change('open', { orderingKey: 'z' }),
      ]),
    );
    const lease = leaseKeys(outbox);
    const [dead, ok, open] = lease.records.map((r) => r.id) as [number, number, number];
    outbox.settle(lease.token, [
      { id: dead, kind: 'dead', error: 'no', latencyMs: 1 },
      delivered(lease.records[1]!, clock()),
    ]);

    expect(outbox.replay([ok, open, 9999], 'ops')).toEqual({ done: [], skipped: [ok, open, 9999] });
    expect(outbox.audit.recent('dead-letter.replay')).toEqual([]);
    expect(rowOf(outbox, ok)!.state).toBe('delivered');
    expect(rowOf(outbox, open)!.state).toBe('leased');

    expect(outbox.replay([dead, ok], 'ops')).toEqual({ done: [dead], skipped: [ok] });
    expect(outbox.replay([dead], 'ops')).toEqual({ done: [], skipped: [dead] }); // already replayed
    expect(outbox.audit.recent('dead-letter.replay')).toHaveLength(1);
    expect(outbox.counts('conn-a')).toEqual({
      pending: 2,
      pendingBytes: change('dead').payload.length + change('open').payload.length,
      dead: 0,
    });
  });

  it('discard gives up for good: out of the queue, audited, not replayable', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('d1', { orderingKey: 'a' }), change('d2', { orderingKey: 'b' })]));
    const [d1, d2] = killAll(outbox) as [number, number];
    clock.advance(500);

    expect(outbox.discard([d1, 12345], 'admin')).toEqual({ done: [d1], skipped: [12345] });
    expect(outbox.counts('conn-a')).toEqual({ pending: 0, pendingBytes: 0, dead: 1 });
    expect(rowOf(outbox, d1)).toMatchObject({ state: 'discarded', settled_at: clock.now });
    expect(outbox.deadLetters({ connection: 'conn-a', limit: 10 }).map((r) => r.id)).toEqual([d2]);
    expect(outbox.timeline(d1)!.events.at(-1)).toEqual({
      at: clock.now,
      kind: 'discarded',
      detail: { actor: 'admin' },
    });
    expect(outbox.audit.recent('dead-letter.discard')).toMatchObject([
      { actor: 'admin', detail: { ids: [d1] } },
    ]);

    expect(outbox.replay([d1], 'admin')).toEqual({ done: [], skipped: [d1] });
    expect(outbox.discard([d1], 'admin')).toEqual({ done: [], skipped: [d1] });
    expect(leaseKeys(outbox).keys).toEqual([]);
    // Still searchable until retention removes it.
    expect(outbox.search({ idempotencyKey: 'd1', limit: 5 }).map((r) => r.state)).toEqual(['discarded']);
  });

  it("a replayed record goes to the end of its ordering key's queue, behind every open record of the key", () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { orderingKey: 'A' }),
        change('a2', { orderingKey: 'A' }),
        change('a3', { orderingKey: 'A' }),
      ]),
    );
    const [a1] = killAll(outbox); // a1 dead, a2 becomes head
    const lease = leaseKeys(outbox);
    expect(lease.keys).toEqual(['a2']);

    expect(outbox.replay([a1!], 'ops').done).toEqual([a1]);
    expect(leaseKeys(outbox).keys).toEqual([]); // a2 still in flight: nothing else of A
    outbox.settle(lease.token, [
      { id: lease.records[0]!.id, kind: 'retry', retryAt: clock.now + 1000, error: 'busy', latencyMs: 1 },
    ]);
    clock.advance(1000);
    expect(deliverAll(outbox, clock)).toEqual(['a2']); // the head keeps its place
    expect(deliverAll(outbox, clock)).toEqual(['a3']); // queued before the replay
    expect(deliverAll(outbox, clock)).toEqual(['a1']);
    expect(deliverAll(outbox, clock)).toEqual([]);
  });

  it('a replayed record with nothing open for its key is a head again at once', () => {
    const { clock, outbox } = setup();
    outbox.enqueue('conn-a', batch([change('a1', { orderingKey: 'A' })]));
    const [a1] = killAll(outbox);
    outbox.enqueue('conn-a', batch([change('b1', { orderingKey: 'B' })]));
    outbox.replay([a1!], 'ops');
    expect(deliverAll(outbox, clock).sort()).toEqual(['a1', 'b1']);
  });

  it('replaying several dead records of one key restores their capture order, whatever order the ids come in', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch([
        change('a1', { orderingKey: 'A' }),
        change('a2', { orderingKey: 'A' }),
        change('a3', { orderingKey: 'A' }),
      ]),
    );
    const dead = [...killAll(outbox), ...killAll(outbox), ...killAll(outbox)];
    expect(dead).toHaveLength(3);
    expect(outbox.replay([...dead].reverse(), 'ops').done.sort()).toEqual([...dead].sort());
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push(...deliverAll(outbox, clock));
    expect(order).toEqual(['a1', 'a2', 'a3']);
  });

  it('counters stay right across replay, discard and a restart', () => {
    const { clock, outbox } = setup();
    outbox.enqueue(
      'conn-a',
      batch(['d1', 'd2', 'd3'].map((k) => change(k, { orderingKey: k, payload: Buffer.alloc(10) }))),
    );
    const [d1, d2] = killAll(outbox) as [number, number, number];
    expect(outbox.counts('conn-a').dead).toBe(3);
    outbox.replay([d1], 'ops');
    outbox.discard([d2], 'ops');
    const live = outbox.counts('conn-a');
    expect(live).toEqual({ pending: 1, pendingBytes: 10, dead: 1 });
    outbox.close();
    const reopened = h.open(h.file(), defaultOptions, clock);
    expect(reopened.counts('conn-a')).toEqual(live);
    expect(rowOf(reopened, idOf(reopened, 'd1'))!.state).toBe('pending');
  });
});

describe('writes by another process', () => {
  it('reloads the counts once another connection committed (a CLI replay while the agent runs), and wakes dispatchers', () => {
    const agent = h.open();
    agent.enqueue(
      'conn-a',
      batch([change('a1', { orderingKey: 'k1' }), change('a2', { orderingKey: 'k2' })]),
    );
    killAll(agent);
    expect(agent.counts('conn-a')).toMatchObject({ pending: 0, dead: 2 });
    expect(agent.syncExternalWrites()).toBe(false); // its own writes are already counted

    const cli = h.open(); // a second connection to the same file, as `integration-agent dlq replay` has
    cli.replay([idOf(cli, 'a1')], 'cli:test');
    const woken: string[] = [];
    agent.onEnqueued((connection) => woken.push(connection));
    expect(agent.counts('conn-a')).toMatchObject({ pending: 0, dead: 2 }); // stale until synced
    expect(agent.syncExternalWrites()).toBe(true);
    expect(agent.counts('conn-a')).toMatchObject({ pending: 1, dead: 1 });
    expect(woken).toEqual(['conn-a']);
    expect(agent.syncExternalWrites()).toBe(false);
  });
});

describe('rows rejected at capture', () => {
  it('are never replayed (they hold source data, not what the API expects); they can be discarded', () => {
    const { outbox } = h.setup();
    outbox.enqueue(
      'conn-a',
      batch([change('bad-row', { rejected: { reason: 'row has 3 fields but the header has 4' } })]),
    );
    const [dead] = outbox.deadLetters({ connection: 'conn-a', limit: 10 });
    expect(dead?.lastError).toContain('row has 3 fields');
    expect(outbox.replay([dead!.id], 'ops')).toEqual({ done: [], skipped: [dead!.id] });
    expect(outbox.deadLetters({ connection: 'conn-a', limit: 10 }).map((r) => r.id)).toEqual([dead!.id]);
    expect(outbox.discard([dead!.id], 'ops').done).toEqual([dead!.id]);
  });
});
