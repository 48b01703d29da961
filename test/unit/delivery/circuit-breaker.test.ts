// Circuit breaker on a fake clock: tripping by failures in a row and by error rate, one probe, doubling open periods.
import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  type CircuitBreakerPolicy,
  type CircuitSnapshot,
} from '../../../main/delivery/circuit-breaker.js';

const defaults: CircuitBreakerPolicy = {
  failureThreshold: 5,
  errorRate: 0.5,
  windowMs: 60_000,
  minRequests: 20,
  openMs: 30_000,
  maxOpenMs: 300_000,
};

function setup(policy: Partial<CircuitBreakerPolicy> = {}) {
  const clock = { now: 1_000_000 };
  const changes: CircuitSnapshot[] = [];
  const breaker = new CircuitBreaker(
    { ...defaults, ...policy },
    () => clock.now,
    (s) => changes.push(s),
  );
  /** One request start to finish: acquire, then report "ok" or a failure reason. */
  const request = (outcome: string) => {
    expect(breaker.tryAcquire()).toBe(true);
    if (outcome === 'ok') breaker.onSuccess();
    else breaker.onFailure(outcome);
  };
  return { clock, changes, breaker, request };
}

describe('CircuitBreaker', () => {
  it('stays closed and lets every request through while requests succeed', () => {
    const { breaker, request, changes } = setup();
    for (let i = 0; i < 50; i++) request('ok');
    expect(breaker.snapshot()).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      windowRequests: 50,
      windowFailures: 0,
    });
    expect(breaker.nextAttemptAt()).toBeUndefined();
    expect(changes).toEqual([]);
  });

  it('opens after failureThreshold consecutive failures and says why', () => {
    const { breaker, request, changes, clock } = setup();
    for (let i = 0; i < 4; i++) request('HTTP 500');
    expect(breaker.snapshot().state).toBe('closed');
    request('HTTP 503');
    const opened = {
      state: 'open',
      reason: 'opened after 5 consecutive failures; last: HTTP 503',
      openedAt: clock.now,
      probeAt: clock.now + 30_000,
      consecutiveFailures: 5,
      windowRequests: 5,
      windowFailures: 5,
    };
    expect(breaker.snapshot()).toEqual(opened);
    expect(changes).toEqual([opened]);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.nextAttemptAt()).toBe(clock.now + 30_000);
  });

  it('counts only failures in a row: a success in between starts the count again', () => {
    const { breaker, request } = setup({ minRequests: 1000 });
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 4; i++) request('timeout');
      request('ok');
    }
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('opens on the error rate once the window holds minRequests requests', () => {
    const { breaker, request, clock } = setup({ failureThreshold: 100, minRequests: 10 });
    // 9 requests, 5 failed (56 %): too few requests to judge.
    for (const outcome of [
      'HTTP 500',
      'ok',
      'HTTP 500',
      'ok',
      'HTTP 500',
      'ok',
      'HTTP 500',
      'ok',
      'HTTP 500',
    ]) {
      request(outcome);
      clock.now += 1000;
    }
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', windowRequests: 9, windowFailures: 5 });
    request('HTTP 502');
    expect(breaker.snapshot()).toMatchObject({
      state: 'open',
      reason: 'error rate 60% over the last 60 s (6 of 10 requests failed); last: HTTP 502',
    });
  });

  it('does not open while the error rate stays under the threshold', () => {
    const { breaker, request } = setup({ failureThreshold: 100, minRequests: 10, errorRate: 0.5 });
    for (let i = 0; i < 100; i++) request(i % 3 === 0 ? 'HTTP 500' : 'ok');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', windowRequests: 100, windowFailures: 34 });
  });

  it('forgets outcomes older than the window, so old failures do not add up with new ones', () => {
    const { breaker, request, clock } = setup({ failureThreshold: 100, minRequests: 10 });
    for (let i = 0; i < 9; i++) request('HTTP 500');
    clock.now += 61_000;
    expect(breaker.snapshot()).toMatchObject({
      windowRequests: 0,
      windowFailures: 0,
      consecutiveFailures: 9,
    });
    for (let i = 0; i < 9; i++) request('ok');
    request('HTTP 500');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', windowRequests: 10, windowFailures: 1 });
  });

  it('slides bucket by bucket and keeps counting correctly over a long, busy run', () => {
    const { breaker, request, clock } = setup({ failureThreshold: 1_000_000, minRequests: 1_000_000 });
    // 10 requests per second for 10 minutes, one in ten failing.
    for (let i = 0; i < 6000; i++) {
      request(i % 10 === 0 ? 'HTTP 500' : 'ok');
      clock.now += 100;
    }
    // The window is 10 buckets of 6 s: it holds between 54 and 60 s of history.
    const { windowRequests, windowFailures } = breaker.snapshot();
    expect(windowRequests).toBeGreaterThanOrEqual(540);
    expect(windowRequests).toBeLessThanOrEqual(600);
    expect(windowFailures).toBe(windowRequests / 10);
  });

  it('goes half-open at probeAt and lets exactly one probe through until it reports', () => {
    const { breaker, request, clock, changes } = setup();
    for (let i = 0; i < 5; i++) request('HTTP 503');
    const openedAt = clock.now;
    clock.now = openedAt + 29_999;
    expect(breaker.tryAcquire()).toBe(false);
    clock.now = openedAt + 30_000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.snapshot()).toMatchObject({ state: 'half-open', probeAt: openedAt + 30_000 });
    for (let i = 0; i < 5; i++) expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.nextAttemptAt()).toBeUndefined();
    breaker.onSuccess();
    expect(breaker.snapshot()).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      windowRequests: 0,
      windowFailures: 0,
    });
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'closed']);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('doubles the open period after each failed probe up to maxOpenMs, and starts over once closed', () => {
    const { breaker, request, clock } = setup({ openMs: 30_000, maxOpenMs: 200_000 });
    for (let i = 0; i < 5; i++) request('HTTP 503');
    const periods: number[] = [];
    for (let probe = 0; probe < 5; probe++) {
      const { openedAt, probeAt } = breaker.snapshot();
      periods.push(probeAt! - openedAt!);
      clock.now = probeAt!;
      request('connect ECONNREFUSED');
    }
    periods.push(breaker.snapshot().probeAt! - breaker.snapshot().openedAt!);
    expect(periods).toEqual([30_000, 60_000, 120_000, 200_000, 200_000, 200_000]);
    expect(breaker.snapshot().reason).toBe(
      'opened after 5 consecutive failures; 5 probes failed; last: connect ECONNREFUSED',
    );

    clock.now = breaker.snapshot().probeAt!;
    request('ok');
    for (let i = 0; i < 5; i++) request('HTTP 503');
    const { openedAt, probeAt } = breaker.snapshot();
    expect(probeAt! - openedAt!).toBe(30_000);
    expect(breaker.snapshot().reason).toBe('opened after 5 consecutive failures; last: HTTP 503');
  });

  it('reports a single failed probe in the singular', () => {
    const { breaker, request, clock } = setup({ failureThreshold: 1 });
    request('HTTP 500');
    clock.now = breaker.snapshot().probeAt!;
    request('HTTP 502');
    expect(breaker.snapshot().reason).toBe(
      'opened after 1 consecutive failure; 1 probe failed; last: HTTP 502',
    );
  });

  it('fires onChange only when the state changes', () => {
    const { breaker, request, clock, changes } = setup({ failureThreshold: 2 });
    request('HTTP 500');
    request('ok');
    request('HTTP 500');
    expect(changes).toEqual([]);
    request('HTTP 500');
    breaker.onFailure('HTTP 500');
    breaker.snapshot();
    breaker.nextAttemptAt();
    expect(breaker.tryAcquire()).toBe(false);
    expect(changes.map((c) => c.state)).toEqual(['open']);
    clock.now = breaker.snapshot().probeAt!;
    request('HTTP 500');
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'open']);
  });

  it('frees the probe slot when the probe is abandoned, without changing the state', () => {
    const { breaker, request, clock, changes } = setup({ failureThreshold: 1 });
    request('HTTP 500');
    clock.now = breaker.snapshot().probeAt!;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.onAbandon();
    expect(breaker.snapshot().state).toBe('half-open');
    expect(breaker.nextAttemptAt()).toBe(clock.now);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open']);
  });

  it('ignores outcomes of earlier requests that arrive while open, before the probe time', () => {
    const { breaker, clock, changes } = setup({ failureThreshold: 2 });
    for (let i = 0; i < 4; i++) expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure('timeout');
    breaker.onFailure('timeout');
    expect(breaker.snapshot().state).toBe('open');
    clock.now += 1000;
    breaker.onSuccess();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', consecutiveFailures: 0, windowRequests: 3 });
    breaker.onFailure('timeout');
    expect(breaker.snapshot()).toMatchObject({ state: 'open', consecutiveFailures: 1 });
    expect(changes.map((c) => c.state)).toEqual(['open']);
  });

  it('grants no probe while earlier requests are in flight; the first outcome after probeAt decides', () => {
    const { breaker, clock } = setup({ failureThreshold: 2 });
    for (let i = 0; i < 3; i++) expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure('timeout');
    breaker.onFailure('timeout');
    clock.now = breaker.snapshot().probeAt!;
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.snapshot().state).toBe('half-open');
    expect(breaker.nextAttemptAt()).toBeUndefined();
    breaker.onSuccess();
    expect(breaker.snapshot().state).toBe('closed');
  });

  it('reopens when the late outcome after probeAt is a failure', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure('HTTP 500');
    clock.now = breaker.snapshot().probeAt!;
    breaker.onFailure('HTTP 504');
    expect(breaker.snapshot()).toMatchObject({
      state: 'open',
      openedAt: clock.now,
      probeAt: clock.now + 60_000,
      reason: 'opened after 1 consecutive failure; 1 probe failed; last: HTTP 504',
    });
  });

  it('restarts the open period when the clock goes back before openedAt', () => {
    const { breaker, request, clock } = setup({ failureThreshold: 1 });
    request('HTTP 500');
    clock.now -= 3_600_000;
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.snapshot()).toMatchObject({ openedAt: clock.now, probeAt: clock.now + 30_000 });
    clock.now += 30_000;
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('treats the window counts as fresh after a clock jump back', () => {
    const { breaker, request, clock } = setup({ failureThreshold: 100 });
    for (let i = 0; i < 5; i++) request('HTTP 500');
    clock.now -= 3_600_000;
    expect(breaker.snapshot()).toMatchObject({ windowRequests: 0, windowFailures: 0 });
    request('ok');
    expect(breaker.snapshot()).toMatchObject({ windowRequests: 1, windowFailures: 0 });
  });

  it('uses Date.now when no clock is given', () => {
    const breaker = new CircuitBreaker({ ...defaults, failureThreshold: 1 });
    const before = Date.now();
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure('HTTP 500');
    const { openedAt } = breaker.snapshot();
    expect(openedAt).toBeGreaterThanOrEqual(before);
    expect(openedAt).toBeLessThanOrEqual(Date.now());
  });

  it('rejects a policy that cannot work, naming every bad field', () => {
    const make = (policy: Partial<CircuitBreakerPolicy>) => () =>
      new CircuitBreaker({ ...defaults, ...policy });
    expect(make({ failureThreshold: 0 })).toThrow(
      'failureThreshold must be a whole number of at least 1 (got 0)',
    );
    expect(make({ minRequests: 2.5 })).toThrow('minRequests must be a whole number of at least 1 (got 2.5)');
    expect(make({ errorRate: 0 })).toThrow('errorRate must be above 0 and at most 1 (got 0)');
    expect(make({ errorRate: 1.5 })).toThrow('errorRate must be above 0 and at most 1 (got 1.5)');
    expect(make({ windowMs: Number.NaN })).toThrow('windowMs must be a positive number of milliseconds');
    expect(make({ openMs: 60_000, maxOpenMs: 10_000 })).toThrow(
      'maxOpenMs (10000) must be at least openMs (60000)',
    );
    expect(make({ failureThreshold: 0, openMs: -1 })).toThrow(/failureThreshold .*; openMs must be/);
    expect(make({ errorRate: 1 })).not.toThrow();
  });
});
