// Delivery policy config schemas: defaults, readable errors (path, problem, fix), and output that the classes accept.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  circuitBreakerConfigSchema,
  isKnownTimeZone,
  rateLimitConfigSchema,
  rateLimitPolicy,
  sendingWindowsConfigSchema,
} from '../../../connectors/core/delivery-policy-config.js';
import { classificationConfigSchema } from '../../../connectors/destinations/http/classification-config.js';
import { fromZodError, type ConfigIssue } from '../../../main/config/errors.js';
import { CircuitBreaker } from '../../../main/delivery/circuit-breaker.js';
import { SendingSchedule } from '../../../main/delivery/sending-window.js';
import { TokenBucket } from '../../../main/delivery/token-bucket.js';
import { minutesOfDay } from '../../../preload/contract/sending-window-spec.js';

/** The policies embedded the way a destination config embeds them. */
const destinationSchema = z.strictObject({
  circuitBreaker: circuitBreakerConfigSchema,
  rateLimit: rateLimitConfigSchema,
  sendingWindows: sendingWindowsConfigSchema,
  classification: classificationConfigSchema,
});

function issuesOf(input: Record<string, unknown>): ConfigIssue[] {
  const parsed = destinationSchema.safeParse(input, { reportInput: true });
  if (parsed.success) throw new Error('expected the input to be rejected');
  return fromZodError('agent.yaml', parsed.error).issues.map((issue) => ({ ...issue }));
}

describe('delivery policy defaults', () => {
  it('fills every circuit breaker field and leaves rate limit and windows out', () => {
    expect(destinationSchema.parse({})).toEqual({
      circuitBreaker: {
        enabled: true,
        failureThreshold: 5,
        errorRate: 0.5,
        windowMs: 60_000,
        minRequests: 20,
        openMs: 30_000,
        maxOpenMs: 300_000,
      },
      classification: { retryOn: [], deadOn: [] },
    });
  });

  it('keeps given values next to the defaults', () => {
    const parsed = destinationSchema.parse({ circuitBreaker: { enabled: false, openMs: 5000 } });
    expect(parsed.circuitBreaker).toMatchObject({ enabled: false, openMs: 5000, maxOpenMs: 300_000 });
  });

  it('defaults burst to the rate rounded up, at least 1', () => {
    const burstOf = (rateLimit: unknown) => {
      const parsed = destinationSchema.parse({ rateLimit }).rateLimit;
      return parsed && rateLimitPolicy(parsed).burst;
    };
    expect(burstOf({ requestsPerSecond: 0.5 })).toBe(1);
    expect(burstOf({ requestsPerSecond: 2.5 })).toBe(3);
    expect(burstOf({ requestsPerSecond: 10 })).toBe(10);
    expect(burstOf({ requestsPerSecond: 10, burst: 2 })).toBe(2);
  });

  it('gives a window every day when days are left out', () => {
    const parsed = destinationSchema.parse({
      sendingWindows: { windows: [{ from: '22:00', to: '06:00' }] },
    });
    expect(parsed.sendingWindows).toEqual({
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '22:00', to: '06:00' }],
    });
  });

  it('produces values the circuit breaker, token bucket and schedule take as they are', () => {
    const parsed = destinationSchema.parse({
      rateLimit: { requestsPerSecond: 0.5 },
      sendingWindows: {
        timeZone: 'Europe/Berlin',
        windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' }],
      },
    });
    expect(new CircuitBreaker(parsed.circuitBreaker).tryAcquire()).toBe(true);
    const bucket = new TokenBucket(rateLimitPolicy(parsed.rateLimit!), () => 0);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.waitMs()).toBe(2000);
    const windows = parsed.sendingWindows!;
    expect(new SendingSchedule(windows.windows, windows.timeZone).describe()).toBe(
      'weekdays 08:00–18:00 (Europe/Berlin)',
    );
  });

  it('exports as JSON Schema on the input side, with the time format as a pattern', () => {
    const schema = JSON.stringify(z.toJSONSchema(destinationSchema, { io: 'input' }));
    expect(schema).toContain('"default":30000');
    expect(schema).toContain('"pattern":"^(([01]\\\\d|2[0-3]):([0-5]\\\\d)|24:00)$"');
    expect(schema).toContain('An HTTP status code');
  });
});

describe('delivery policy errors', () => {
  it('explains a circuit breaker whose longest open period is shorter than the first', () => {
    expect(issuesOf({ circuitBreaker: { openMs: 60_000, maxOpenMs: 10_000 } })).toEqual([
      {
        path: 'circuitBreaker.maxOpenMs',
        problem: 'maxOpenMs (10000) is shorter than openMs (60000)',
        fix: 'set maxOpenMs to at least 60000, or lower openMs',
      },
    ]);
  });

  it('keeps the error rate above 0 and at most 1', () => {
    expect(issuesOf({ circuitBreaker: { errorRate: 0 } })).toEqual([
      {
        path: 'circuitBreaker.errorRate',
        problem: 'is too small (got 0); it must be greater than 0',
        fix: 'use a number that is greater than 0',
      },
    ]);
    expect(issuesOf({ circuitBreaker: { errorRate: 50 } })[0]).toMatchObject({
      problem: 'is too big (got 50); it must be at most 1',
    });
  });

  it('names unknown keys inside a policy', () => {
    expect(issuesOf({ circuitBreaker: { treshold: 3 } })).toEqual([
      expect.objectContaining({ path: 'circuitBreaker.treshold', problem: 'unknown key "treshold"' }),
    ]);
  });

  it('requires a positive rate and a burst of at least 1', () => {
    expect(issuesOf({ rateLimit: { requestsPerSecond: 0, burst: 0 } })).toEqual([
      {
        path: 'rateLimit.requestsPerSecond',
        problem: 'is too small (got 0); it must be greater than 0',
        fix: 'use a number that is greater than 0',
      },
      {
        path: 'rateLimit.burst',
        problem: 'is too small (got 0); it must be at least 1',
        fix: 'use a number that is at least 1',
      },
    ]);
    expect(issuesOf({ rateLimit: {} })).toEqual([
      expect.objectContaining({ path: 'rateLimit.requestsPerSecond', problem: 'is required but missing' }),
    ]);
  });

  it('refuses a time zone Intl does not know', () => {
    expect(issuesOf({ sendingWindows: { timeZone: 'Berlin', windows: [] } })).toEqual([
      {
        path: 'sendingWindows.timeZone',
        problem: '"Berlin" is not a known time zone',
        fix: 'use an IANA name like Europe/Berlin',
      },
    ]);
  });

  it('shows a bad time and the expected format', () => {
    const issues = issuesOf({
      sendingWindows: {
        windows: [
          { from: '8:00', to: '18:00' },
          { from: '24:00', to: '25:00' },
          { from: '08:00', to: '24:00' },
        ],
      },
    });
    expect(issues).toEqual([
      {
        path: 'sendingWindows.windows[0].from',
        problem: '"8:00" is not a time in HH:MM format',
        fix: 'write a 24-hour time with two-digit hours and minutes, such as "08:00"',
      },
      {
        path: 'sendingWindows.windows[1].from',
        problem: '"24:00" is not a time in HH:MM format',
        fix: 'write a 24-hour time with two-digit hours and minutes, such as "08:00"',
      },
      {
        path: 'sendingWindows.windows[1].to',
        problem: '"25:00" is not a time in HH:MM format',
        fix: 'write a 24-hour time with two-digit hours and minutes, such as "18:00"; "24:00" means the end of the day',
      },
    ]);
  });

  it('shortens a long bad value in the message', () => {
    const [issue] = issuesOf({ sendingWindows: { windows: [{ from: 'x'.repeat(100), to: '18:00' }] } });
    expect(issue?.problem).toBe(`"${'x'.repeat(32)}…" is not a time in HH:MM format`);
  });

  it('refuses a window whose from equals its to, pointing at all day', () => {
    expect(issuesOf({ sendingWindows: { windows: [{ from: '09:00', to: '09:00' }] } })).toEqual([
      {
        path: 'sendingWindows.windows[0].to',
        problem: 'from and to are both "09:00", so the window has no length',
        fix: 'use 00:00–24:00 for all day',
      },
    ]);
  });

  it('refuses an empty or misspelt day list', () => {
    expect(issuesOf({ sendingWindows: { windows: [{ days: [], from: '09:00', to: '17:00' }] } })).toEqual([
      {
        path: 'sendingWindows.windows[0].days',
        problem: 'lists no days, so the window would never open',
        fix: 'name at least one day, or leave days out for every day',
      },
    ]);
    expect(
      issuesOf({ sendingWindows: { windows: [{ days: ['monday'], from: '09:00', to: '17:00' }] } }),
    ).toEqual([
      {
        path: 'sendingWindows.windows[0].days[0]',
        problem: 'is not one of the allowed values (got "monday")',
        fix: 'use one of: "mon", "tue", "wed", "thu", "fri", "sat", "sun"',
      },
    ]);
  });

  it('asks for the windows list', () => {
    expect(issuesOf({ sendingWindows: { timeZone: 'Europe/Berlin' } })).toEqual([
      expect.objectContaining({ path: 'sendingWindows.windows', problem: 'is required but missing' }),
    ]);
  });

  it('keeps statuses within 100..599 and out of the 2xx range', () => {
    expect(issuesOf({ classification: { retryOn: [99, 600, 204] } })).toEqual([
      {
        path: 'classification.retryOn[0]',
        problem: 'is too small (got 99); it must be at least 100',
        fix: 'use a number that is at least 100',
      },
      {
        path: 'classification.retryOn[1]',
        problem: 'is too big (got 600); it must be at most 599',
        fix: 'use a number that is at most 599',
      },
      {
        path: 'classification.retryOn[2]',
        problem: '204 is a success status; a 2xx answer always counts as delivered',
        fix: 'remove 204 from retryOn',
      },
    ]);
    expect(issuesOf({ classification: { deadOn: [204] } })).toEqual([
      {
        path: 'classification.deadOn[0]',
        problem: '204 is a success status; a 2xx answer always counts as delivered',
        fix: 'remove 204 from deadOn',
      },
    ]);
  });

  it('refuses a status that is both retried and dead-lettered', () => {
    expect(issuesOf({ classification: { retryOn: [400, 503], deadOn: [404, 503] } })).toEqual([
      {
        path: 'classification.deadOn[1]',
        problem: '503 is in both retryOn and deadOn',
        fix: 'keep 503 in only one of the two lists',
      },
    ]);
  });

  it('accepts sensible overrides', () => {
    expect(
      destinationSchema.parse({ classification: { retryOn: [404], deadOn: [501] } }).classification,
    ).toEqual({
      retryOn: [404],
      deadOn: [501],
    });
  });
});

describe('minutesOfDay and isKnownTimeZone', () => {
  it('reads HH:MM on a 24-hour clock and 24:00 only as an end', () => {
    expect(minutesOfDay('00:00', false)).toBe(0);
    expect(minutesOfDay('08:05', false)).toBe(485);
    expect(minutesOfDay('23:59', false)).toBe(1439);
    expect(minutesOfDay('24:00', true)).toBe(1440);
    for (const bad of ['24:00', '8:00', '08:60', '08:00:00', ' 08:00', '0800', '']) {
      expect(minutesOfDay(bad, false)).toBeUndefined();
    }
    expect(minutesOfDay('24:01', true)).toBeUndefined();
  });

  it('knows IANA names and refuses made-up ones', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Europe/Atlantis')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});
