// Parses Retry-After (delay-seconds or IMF-fixdate) and RateLimit-Reset into a delay in milliseconds, capped at a day.

/** RFC 9110 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"; Date.parse alone accepts junk like "1.5". */
const imfFixdate = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** A server asking for more than a day is treated as asking for a day: a record is never parked for years. */
export const maxRetryAfterMs = 24 * 60 * 60 * 1000;

export function retryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const value = headers['retry-after']?.trim();
  if (value && /^\d+$/.test(value)) return Math.min(maxRetryAfterMs, Number(value) * 1000);
  if (value && imfFixdate.test(value)) return Math.min(maxRetryAfterMs, Math.max(0, Date.parse(value) - now));
  const reset = headers['ratelimit-reset']?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.min(maxRetryAfterMs, Number(reset) * 1000);
  return undefined;
}
