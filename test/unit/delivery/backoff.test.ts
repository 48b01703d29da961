// Backoff with full jitter: per-attempt bounds, the cap, injected randomness and very large attempt numbers.
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../main/delivery/backoff.js';

const policy = { baseMs: 100, capMs: 10_000 };
const almostOne = 1 - Number.EPSILON;

describe('backoffDelayMs', () => {
  it('is 0 when random() returns 0, whatever the attempt', () => {
    for (const attempt of [1, 2, 5, 30, 1000]) expect(backoffDelayMs(policy, attempt, () => 0)).toBe(0);
  });

  it('stays just under base * 2^(attempt-1) when random() is almost 1', () => {
    expect(backoffDelayMs(policy, 1, () => almostOne)).toBe(99);
    expect(backoffDelayMs(policy, 2, () => almostOne)).toBe(199);
    expect(backoffDelayMs(policy, 3, () => almostOne)).toBe(399);
    expect(backoffDelayMs(policy, 7, () => almostOne)).toBe(6399);
  });

  it('never reaches the cap, even once the exponential passes it', () => {
    expect(backoffDelayMs(policy, 8, () => almostOne)).toBe(9999);
    expect(backoffDelayMs(policy, 20, () => almostOne)).toBe(9999);
  });

  it('scales linearly with random() inside the ceiling', () => {
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelayMs(policy, 20, () => 0.25)).toBe(2500);
  });

  it('keeps every delay in [0, min(cap, base * 2^(attempt-1))) with the default random', () => {
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i += 1) {
        const delay = backoffDelayMs(policy, attempt);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('treats attempt 0 and negative attempts like the first attempt', () => {
    expect(backoffDelayMs(policy, 0, () => almostOne)).toBe(99);
    expect(backoffDelayMs(policy, -3, () => almostOne)).toBe(99);
  });

  it('stays finite and capped for huge attempt numbers', () => {
    const bigCap = { baseMs: 1000, capMs: Number.MAX_SAFE_INTEGER };
    for (const attempt of [31, 1024, 1e6, Number.MAX_SAFE_INTEGER, Infinity]) {
      const capped = backoffDelayMs(policy, attempt, () => almostOne);
      expect(capped).toBe(9999);
      const uncapped = backoffDelayMs(bigCap, attempt, () => almostOne);
      expect(Number.isFinite(uncapped)).toBe(true);
      expect(uncapped).toBeLessThanOrEqual(1000 * 2 ** 30);
    }
  });
});
