// Token bucket on a fake clock: burst, lazy refill, fractional rates, exact waits, bad input.
import { describe, expect, it } from 'vitest';
import { TokenBucket, type RateLimitPolicy } from '../../../main/delivery/token-bucket.js';

function setup(policy: RateLimitPolicy) {
  const clock = { now: 5_000_000 };
  return { clock, bucket: new TokenBucket(policy, () => clock.now) };
}

describe('TokenBucket', () => {
  it('starts full: a burst goes at once, the next request has to wait', () => {
    const { bucket } = setup({ requestsPerSecond: 2, burst: 3 });
    expect(bucket.waitMs()).toBe(0);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.waitMs()).toBe(500);
  });

  it('refills from the clock alone, one token per 1/rate seconds', () => {
    const { bucket, clock } = setup({ requestsPerSecond: 10, burst: 1 });
    expect(bucket.tryTake()).toBe(true);
    clock.now += 99;
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.waitMs()).toBe(1);
    clock.now += 1;
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('handles fractional rates: 0.5 per second is one request every 2 s', () => {
    const { bucket, clock } = setup({ requestsPerSecond: 0.5, burst: 1 });
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.waitMs()).toBe(2000);
    clock.now += 1999;
    expect(bucket.waitMs()).toBe(1);
    expect(bucket.tryTake()).toBe(false);
    clock.now += 1;
    expect(bucket.tryTake()).toBe(true);
  });

  it('makes tokens available after exactly waitMs(), even for rates that are not round in ms', () => {
    for (const requestsPerSecond of [3, 7, 0.3, 0.7, 1 / 3, 123.456, 999]) {
      const { bucket, clock } = setup({ requestsPerSecond, burst: 1 });
      for (let i = 0; i < 50; i++) {
        while (bucket.tryTake());
        const wait = bucket.waitMs();
        expect(wait).toBeGreaterThan(0);
        expect(wait).toBeLessThanOrEqual(Math.ceil(1000 / requestsPerSecond));
        clock.now += wait - 1;
        expect(bucket.tryTake()).toBe(false);
        clock.now += 1;
        expect(bucket.tryTake()).toBe(true);
      }
    }
  });

  it('keeps the average rate over a long run', () => {
    const { bucket, clock } = setup({ requestsPerSecond: 0.25, burst: 2 });
    expect(bucket.tryTake(2)).toBe(true);
    let sent = 0;
    for (let t = 0; t < 3_600_000; t += 100) {
      clock.now += 100;
      if (bucket.tryTake()) sent++;
    }
    // An hour at 0.25/s is 900 requests, the last one exactly at the end.
    expect(sent).toBe(900);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const { bucket, clock } = setup({ requestsPerSecond: 5, burst: 4 });
    clock.now += 24 * 3_600_000;
    expect(bucket.tryTake(4)).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('takes and waits for several tokens at once', () => {
    const { bucket, clock } = setup({ requestsPerSecond: 4, burst: 4 });
    expect(bucket.tryTake(3)).toBe(true);
    expect(bucket.tryTake(2)).toBe(false);
    expect(bucket.waitMs(2)).toBe(250);
    expect(bucket.waitMs(4)).toBe(750);
    clock.now += 250;
    expect(bucket.tryTake(2)).toBe(true);
    expect(bucket.waitMs(1)).toBe(250);
  });

  it('does not mint tokens when the clock goes back, and refills again from there', () => {
    const { bucket, clock } = setup({ requestsPerSecond: 1, burst: 1 });
    expect(bucket.tryTake()).toBe(true);
    clock.now -= 60_000;
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.waitMs()).toBe(1000);
    clock.now += 1000;
    expect(bucket.tryTake()).toBe(true);
  });

  it('refuses to wait for more tokens than the burst, saying how to fix it', () => {
    const { bucket } = setup({ requestsPerSecond: 1, burst: 3 });
    expect(() => bucket.waitMs(5)).toThrow(
      'Cannot take 5 tokens at once: the burst is 3, so the bucket never holds that many; raise rateLimit.burst to at least 5 or take fewer tokens at a time',
    );
    expect(() => bucket.tryTake(4)).toThrow(RangeError);
    expect(() => bucket.tryTake(0)).toThrow('positive number of tokens (got 0)');
    expect(() => bucket.waitMs(Number.NaN)).toThrow('positive number of tokens (got NaN)');
  });

  it('rejects a policy that cannot work', () => {
    expect(() => new TokenBucket({ requestsPerSecond: 0, burst: 1 })).toThrow(
      'requestsPerSecond must be a number above 0 (got 0)',
    );
    expect(() => new TokenBucket({ requestsPerSecond: Infinity, burst: 1 })).toThrow('requestsPerSecond');
    expect(() => new TokenBucket({ requestsPerSecond: 1, burst: 0.5 })).toThrow(
      'burst must be at least 1 (got 0.5)',
    );
  });

  it('uses Date.now when no clock is given', () => {
    const bucket = new TokenBucket({ requestsPerSecond: 0.001, burst: 1 });
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.waitMs()).toBeGreaterThan(990_000);
  });
});
