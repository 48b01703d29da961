// Zod schemas for a destination's delivery protection: circuit breaker, rate limit, sending windows, status overrides.
import { z } from 'zod';
import { clockTimePattern, minutesOfDay, weekdays } from '../../preload/contract/sending-window-spec.js';

/** Whether Intl (and so the sending schedule) accepts `name` as a time zone. */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A user's value for an error message: quoted, and cut short so a stray paste does not flood the message. */
function shown(value: string): string {
  return JSON.stringify(value.length > 32 ? `${value.slice(0, 32)}…` : value);
}

const circuitBreakerObjectSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Stop sending to a destination that keeps failing and probe it now and then instead'),
    failureThreshold: z
      .int()
      .min(1)
      .default(5)
      .describe('Open the circuit after this many failures in a row'),
    errorRate: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe('Also open it when this share of the requests in the window failed (0.5 = 50 %)'),
    windowMs: z
      .int()
      .min(1000)
      .default(60_000)
      .describe('Sliding window over which the error rate is measured'),
    minRequests: z
      .int()
      .min(1)
      .default(20)
      .describe('The error rate counts only once the window holds at least this many finished requests'),
    openMs: z
      .int()
      .min(1000)
      .default(30_000)
      .describe('How long the circuit stays open before one probe request is let through'),
    maxOpenMs: z
      .int()
      .min(1000)
      .default(300_000)
      .describe('The open period doubles after each failed probe, up to this'),
  })
  .superRefine((breaker, ctx) => {
    if (breaker.maxOpenMs < breaker.openMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxOpenMs'],
        message: `maxOpenMs (${breaker.maxOpenMs}) is shorter than openMs (${breaker.openMs})`,
        params: { fix: `set maxOpenMs to at least ${breaker.openMs}, or lower openMs` },
      });
    }
  })
  .describe('Stops sending to a failing destination for a while, then probes it with one request');

/** Embed as a field: absent means all defaults. */
export const circuitBreakerConfigSchema = circuitBreakerObjectSchema.prefault({});
export type CircuitBreakerConfig = z.output<typeof circuitBreakerConfigSchema>;

const rateLimitObjectSchema = z
  .strictObject({
    requestsPerSecond: z
      .number()
      .gt(0)
      .describe('Average requests per second at most; fractions such as 0.5 (one every 2 s) work'),
    burst: z
      .int()
      .min(1)
      .optional()
      .describe('Requests that may go at once after a quiet spell; default: requestsPerSecond rounded up'),
  })
  .describe('Caps how fast records are sent to this destination');

/**
 * Embed as a field: absent means no rate limit. No transform here: a transform anywhere inside the config hides every
 * enclosing default from the exported JSON Schema, so the burst default is applied by `rateLimitPolicy`.
 */
export const rateLimitConfigSchema = rateLimitObjectSchema.optional();
export type RateLimitConfig = NonNullable<z.output<typeof rateLimitConfigSchema>>;

/** The policy with its default burst: requestsPerSecond rounded up, at least 1. */
export function rateLimitPolicy(limit: RateLimitConfig): { requestsPerSecond: number; burst: number } {
  return {
    requestsPerSecond: limit.requestsPerSecond,
    burst: limit.burst ?? Math.max(1, Math.ceil(limit.requestsPerSecond)),
  };
}

function clockTimeSchema(endOfDay: boolean) {
  const examples = endOfDay
    ? 'a 24-hour time with two-digit hours and minutes, such as "18:00"; "24:00" means the end of the day'
    : 'a 24-hour time with two-digit hours and minutes, such as "08:00"';
  const inner = clockTimePattern.source.slice(1, -1);
  return z
    .string()
    .superRefine((value, ctx) => {
      if (minutesOfDay(value, endOfDay) !== undefined) return;
      ctx.addIssue({
        code: 'custom',
        message: `${shown(value)} is not a time in HH:MM format`,
        params: { fix: `write ${examples}` },
      });
    })
    .meta({ pattern: endOfDay ? `^(${inner}|24:00)$` : clockTimePattern.source });
}

const sendingWindowSchema = z
  .strictObject({
    days: z
      .array(z.enum(weekdays).describe('Day of the week: mon, tue, wed, thu, fri, sat or sun'))
      .superRefine((days, ctx) => {
        if (days.length > 0) return;
        ctx.addIssue({
          code: 'custom',
          message: 'lists no days, so the window would never open',
          params: { fix: 'name at least one day, or leave days out for every day' },
        });
      })
      .default([...weekdays])
      .describe('Days on which the window starts; every day when left out'),
    from: clockTimeSchema(false).describe('Local time the window opens, HH:MM (24-hour clock)'),
    to: clockTimeSchema(true).describe(
      'Local time the window closes, HH:MM; earlier than from means the next morning, 24:00 means midnight',
    ),
  })
  .superRefine((window, ctx) => {
    if (window.from !== window.to) return;
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `from and to are both ${shown(window.from)}, so the window has no length`,
      params: { fix: 'use 00:00–24:00 for all day' },
    });
  })
  .describe('A time of day during which records may be sent');
export type SendingWindowConfig = z.output<typeof sendingWindowSchema>;

const sendingWindowsObjectSchema = z
  .strictObject({
    timeZone: z
      .string()
      .superRefine((name, ctx) => {
        if (isKnownTimeZone(name)) return;
        ctx.addIssue({
          code: 'custom',
          message: `${shown(name)} is not a known time zone`,
          params: { fix: 'use an IANA name like Europe/Berlin' },
        });
      })
      .optional()
      .describe("Time zone the windows are read in; the machine's own time zone when left out"),
    windows: z
      .array(sendingWindowSchema)
      .describe('Records are sent only inside these windows; an empty list means at any time'),
  })
  .describe('Times of day when this destination may receive records');

/** Embed as a field: absent means records may be sent at any time. */
export const sendingWindowsConfigSchema = sendingWindowsObjectSchema.optional();
export type SendingWindowsConfig = NonNullable<z.output<typeof sendingWindowsConfigSchema>>;

const retrySchema = z.strictObject({
  baseMs: z.int().positive().default(1000).describe('First retry delay before jitter'),
  capMs: z.int().positive().default(300_000).describe('Longest retry delay'),
});

/**
 * The delivery options every destination has, spread into each destination's config schema: how many sends at once,
 * lease, retry backoff, circuit breaker, rate limit, sending windows, trace context and the status thresholds.
 */
export const deliveryPolicyShape = {
  concurrency: z.int().min(1).max(64).default(4).describe('Sends in flight at once'),
  leaseMs: z
    .int()
    .min(1000)
    .default(120_000)
    .describe('How long records stay claimed by one delivery attempt'),
  retry: retrySchema.prefault({}),
  circuitBreaker: circuitBreakerConfigSchema,
  rateLimit: rateLimitConfigSchema,
  sendingWindows: sendingWindowsConfigSchema,
  traceContext: z
    .boolean()
    .default(false)
    .describe('Send a W3C traceparent with every request and keep it on the record timeline'),
  dedupeWindowHours: z
    .number()
    .positive()
    .default(24)
    .describe(
      'How long the receiver remembers idempotency keys; status warns when a queued record gets older than this',
    ),
  maxPendingAgeMinutes: z
    .number()
    .positive()
    .default(60)
    .describe('Status asks for attention when the oldest pending record is older than this'),
};

export type DeliveryPolicyConfig = z.output<z.ZodObject<typeof deliveryPolicyShape>>;

/** Batch limits for destinations that send many records at once; each spreads them next to its own `format`. */
export const batchLimitsShape = {
  maxRecords: z.int().min(1).max(10_000).default(500).describe('Most records in one batch'),
  maxBytes: z
    .int()
    .min(1024)
    .default(1024 * 1024)
    .describe('Most payload bytes in one batch (a single larger record is still sent alone)'),
  lingerMs: z
    .int()
    .min(0)
    .max(60_000)
    .default(200)
    .describe('Once a record is due, wait up to this long for a fuller batch'),
};
