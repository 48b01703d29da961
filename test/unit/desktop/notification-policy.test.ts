// Desktop notifications from status snapshots: baseline, new dead letters, opened circuits, rate limit, cooldown, coalescing.
import { describe, expect, it } from 'vitest';
import { NotificationPolicy } from '../../../main/desktop/notification-policy.js';
import { connection, status } from './status-fixture.js';

function policyWithClock(options = {}) {
  let now = 1_000_000;
  const policy = new NotificationPolicy(
    { maxPerWindow: 3, windowMs: 600_000, cooldownMs: 300_000, ...options },
    () => now,
  );
  return { policy, advance: (ms: number) => (now += ms), now: () => now };
}

describe('NotificationPolicy', () => {
  it('treats the first snapshot as the baseline: existing dead letters and open circuits are not announced', () => {
    const { policy } = policyWithClock();
    expect(policy.observe(status([connection('a', { dead: 5, circuit: 'open' })]))).toEqual([]);
    expect(policy.nextFlushAt()).toBeUndefined();
  });

  it('announces new dead letters with the count added and the last error', () => {
    const { policy } = policyWithClock();
    policy.observe(status([connection('a', { dead: 2 })]));
    const [shown, ...rest] = policy.observe(
      status([connection('a', { dead: 5, lastError: 'HTTP 422: invoice number missing' })]),
    );
    expect(rest).toEqual([]);
    expect(shown).toEqual({
      title: 'Connection a: 3 records need a decision',
      body: expect.stringContaining('(HTTP 422: invoice number missing)') as string,
      connections: ['a'],
    });
  });

  it('announces a circuit that opens from closed, but not a half-open probe that fails again', () => {
    const { policy, advance } = policyWithClock();
    policy.observe(status([connection('a')]));
    const opened = policy.observe(
      status([connection('a', { circuit: 'open', circuitReason: '5 timeouts in a row' })]),
    );
    expect(opened).toHaveLength(1);
    expect(opened[0]!.title).toBe('Connection a: sending paused');
    expect(opened[0]!.body).toContain('5 timeouts in a row');
    advance(600_000);
    expect(policy.observe(status([connection('a', { circuit: 'half-open' })]))).toEqual([]);
    expect(policy.observe(status([connection('a', { circuit: 'open' })]))).toEqual([]);
  });

  it('does not announce fewer dead letters (replayed or discarded) or unchanged counts', () => {
    const { policy } = policyWithClock();
    policy.observe(status([connection('a', { dead: 4 })]));
    expect(policy.observe(status([connection('a', { dead: 4 })]))).toEqual([]);
    expect(policy.observe(status([connection('a', { dead: 1 })]))).toEqual([]);
    expect(policy.observe(status([connection('a', { dead: 2 })]))).toHaveLength(1);
  });

  it('coalesces events that arrive together into one notification naming each connection', () => {
    const { policy } = policyWithClock();
    policy.observe(status([connection('a'), connection('b')]));
    const shown = policy.observe(
      status([connection('a', { dead: 1 }), connection('b', { circuit: 'open' })]),
    );
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('Integration agent needs attention');
    expect(shown[0]!.body.split('\n')).toEqual([
      'Connection a: 1 new record in the dead-letter queue',
      'Connection b: sending paused, the destination keeps failing',
    ]);
    expect(shown[0]!.connections).toEqual(['a', 'b']);
  });

  it('holds further dead letters of the same connection during the cooldown and then shows their sum once', () => {
    const { policy, advance, now } = policyWithClock();
    policy.observe(status([connection('a')]));
    expect(policy.observe(status([connection('a', { dead: 1 })]))).toHaveLength(1);
    const shownAt = now();
    advance(2_000);
    expect(policy.observe(status([connection('a', { dead: 3 })]))).toEqual([]);
    advance(2_000);
    expect(policy.observe(status([connection('a', { dead: 7 })]))).toEqual([]);
    expect(policy.nextFlushAt()).toBe(shownAt + 300_000);
    advance(100_000);
    expect(policy.flush()).toEqual([]);
    advance(shownAt + 300_000 - now());
    const [later] = policy.flush();
    expect(later!.title).toBe('Connection a: 6 records need a decision');
    expect(policy.nextFlushAt()).toBeUndefined();
  });

  it('shows at most maxPerWindow notifications per sliding window and releases the rest coalesced when it slides', () => {
    const { policy, advance, now } = policyWithClock();
    const ids = ['a', 'b', 'c', 'd', 'e'];
    policy.observe(status(ids.map((id) => connection(id))));
    const shown: number[] = [];
    const first = now();
    for (const id of ids) {
      // one connection at a time gets a dead letter, 1 s apart
      const snapshot = status(
        ids.map((x) => connection(x, { dead: ids.indexOf(x) <= ids.indexOf(id) ? 1 : 0 })),
      );
      shown.push(policy.observe(snapshot).length);
      advance(1_000);
    }
    expect(shown).toEqual([1, 1, 1, 0, 0]);
    expect(policy.nextFlushAt()).toBe(first + 600_000);
    advance(first + 600_000 - now() - 1);
    expect(policy.flush()).toEqual([]);
    advance(1);
    const [released] = policy.flush();
    expect(released!.title).toBe('Integration agent needs attention');
    expect(released!.connections).toEqual(['d', 'e']);
  });

  it('drops a held event that the status no longer backs (dead letters replayed, circuit closed)', () => {
    const { policy, advance } = policyWithClock({ maxPerWindow: 1 });
    policy.observe(status([connection('a'), connection('b')]));
    expect(policy.observe(status([connection('a', { dead: 1 }), connection('b')]))).toHaveLength(1);
    advance(1_000);
    expect(
      policy.observe(status([connection('a', { dead: 1 }), connection('b', { circuit: 'open' })])),
    ).toEqual([]);
    expect(policy.nextFlushAt()).toBeDefined();
    policy.observe(status([connection('a', { dead: 0 }), connection('b')]));
    expect(policy.nextFlushAt()).toBeUndefined();
    advance(600_000);
    expect(policy.flush()).toEqual([]);
  });

  it('lists at most four lines and says how many more there are', () => {
    const { policy } = policyWithClock();
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    policy.observe(status(ids.map((id) => connection(id))));
    const [shown] = policy.observe(status(ids.map((id) => connection(id, { dead: 2 }))));
    expect(shown!.body.split('\n')).toHaveLength(5);
    expect(shown!.body).toContain('… and 2 more');
    expect(shown!.connections).toEqual(ids);
  });

  it('ignores a connection that appears while running until it has a baseline', () => {
    const { policy } = policyWithClock();
    policy.observe(status([connection('a')]));
    expect(policy.observe(status([connection('a'), connection('new', { dead: 9 })]))).toEqual([]);
    expect(policy.observe(status([connection('a'), connection('new', { dead: 10 })]))).toHaveLength(1);
  });
});
