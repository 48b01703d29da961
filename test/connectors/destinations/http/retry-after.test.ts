// Retry-After and RateLimit-Reset parsing: delay-seconds, HTTP-dates in the future and past, and junk.
import { describe, expect, it } from 'vitest';
import { maxRetryAfterMs, retryAfterMs } from '../../../../connectors/destinations/http/retry-after.js';

const now = Date.parse('2030-06-01T12:00:00Z');

describe('retryAfterMs', () => {
  it('reads delta-seconds', () => {
    expect(retryAfterMs({ 'retry-after': '120' }, now)).toBe(120_000);
    expect(retryAfterMs({ 'retry-after': ' 7 ' }, now)).toBe(7000);
    expect(retryAfterMs({ 'retry-after': '0' }, now)).toBe(0);
  });

  it('reads an HTTP-date in the future as the time left until then', () => {
    const at = new Date(now + 90_000).toUTCString();
    expect(retryAfterMs({ 'retry-after': at }, now)).toBe(90_000);
  });

  it('turns an HTTP-date in the past into 0', () => {
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, now)).toBe(0);
  });

  it('falls back to RateLimit-Reset seconds', () => {
    expect(retryAfterMs({ 'ratelimit-reset': '30' }, now)).toBe(30_000);
  });

  it('prefers Retry-After over RateLimit-Reset', () => {
    expect(retryAfterMs({ 'retry-after': '5', 'ratelimit-reset': '30' }, now)).toBe(5000);
  });

  it('returns undefined when nothing usable is there', () => {
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': '' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'abc' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'ratelimit-reset': 'tomorrow' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'ratelimit-reset': '1.5' }, now)).toBeUndefined();
  });
});

describe('retryAfterMs on junk a lenient date parser would accept', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it('ignores values that are neither delta-seconds nor an IMF-fixdate, falling back to RateLimit-Reset', () => {
    expect(retryAfterMs({ 'retry-after': '1.5' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': '-1' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon 2099' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': '1.5', 'ratelimit-reset': '30' }, now)).toBe(30_000);
  });
  it('caps far-future answers at a day', () => {
    expect(retryAfterMs({ 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' }, now)).toBe(maxRetryAfterMs);
    expect(retryAfterMs({ 'retry-after': '99999999' }, now)).toBe(maxRetryAfterMs);
  });
});
