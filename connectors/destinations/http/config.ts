// Config schema of the HTTP destination.
import { z } from 'zod';
import { secretRefSchema } from '../../core/secret-ref.js';

const timeoutsSchema = z.strictObject({
  connectMs: z.int().positive().default(10_000),
  responseMs: z.int().positive().default(30_000),
  totalMs: z.int().positive().default(60_000),
});

const retrySchema = z.strictObject({
  baseMs: z.int().positive().default(1000).describe('First retry delay before jitter'),
  capMs: z.int().positive().default(300_000).describe('Longest retry delay'),
});

export const httpDestinationSchema = z
  .strictObject({
    type: z.literal('http'),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' })
      .describe('Endpoint that receives each record'),
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    headers: z
      .record(z.string(), z.union([z.string(), secretRefSchema]))
      .default({})
      .describe('Extra request headers; secret values must use { "secretRef": "<name>" }'),
    allowInsecureHttp: z
      .boolean()
      .default(false)
      .describe('Allow a plain http:// URL to a non-loopback host (only for trusted local networks)'),
    timeouts: timeoutsSchema.prefault({}),
    concurrency: z.int().min(1).max(64).default(4).describe('Requests in flight at once'),
    leaseMs: z
      .int()
      .min(1000)
      .default(120_000)
      .describe('How long a record stays claimed by one delivery attempt'),
    retry: retrySchema.prefault({}),
  })
  .describe('Sends each record to an HTTP endpoint');

export type HttpDestinationConfig = z.output<typeof httpDestinationSchema>;
