// Config schema of the HTTP destination: request, batching, timeouts, retry, protection, security and status alerts.
import { z } from 'zod';
import { batchLimitsShape, deliveryPolicyShape } from '../../core/delivery-policy-config.js';
import { secretRefSchema } from '../../core/secret-ref.js';
import { classificationConfigSchema } from './classification-config.js';
import { authConfigSchema, proxyConfigSchema, tlsConfigSchema } from './security-config.js';
import { isLoopbackHost } from '../../core/loopback.js';
import { templateFields } from '../../core/record-template.js';
import { templateProblems } from './url-template.js';
import { apiVersionSchema } from './api-version.js';

const timeoutsSchema = z.strictObject({
  connectMs: z.int().positive().default(10_000).describe('Give up connecting (TCP + TLS) after this long'),
  responseMs: z
    .int()
    .positive()
    .default(30_000)
    .describe('Give up waiting for the response headers after this long'),
  totalMs: z.int().positive().default(60_000).describe('Give up on the whole request after this long'),
});

const batchSchema = z
  .strictObject({
    format: z
      .enum(['none', 'json-array', 'ndjson'])
      .default('none')
      .describe('none: one record per request; json-array / ndjson: several JSON records per request'),
    ...batchLimitsShape,
  })
  .describe('Send records in batches; each batch gets an Idempotency-Key derived from its members');

/** Plain http off this machine needs the explicit flag: checked by the schema, so every entry point refuses it alike. */
function plainHttpProblem(url: string, allowInsecureHttp: boolean) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // the url field reports it
  }
  if (parsed.protocol !== 'http:' || allowInsecureHttp || isLoopbackHost(parsed.hostname)) return undefined;
  return {
    message: `plain http to ${parsed.origin} would carry records across the network unencrypted`,
    params: {
      fix: 'use an https:// URL; only on a trusted internal network, set allowInsecureHttp: true on the destination',
    },
  };
}

export const httpDestinationSchema = z
  .strictObject({
    type: z.literal('http'),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' })
      .describe(
        'Endpoint that receives the records; the path and query may use {{idempotencyKey}}, {{businessKey}} or {{record.<field>}}',
      ),
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    headers: z
      .record(z.string(), z.union([z.string(), secretRefSchema]))
      .default({})
      .describe('Extra request headers; secret values must use { "secretRef": "<name>" }'),
    allowInsecureHttp: z
      .boolean()
      .default(false)
      .describe('Allow a plain http:// URL to a non-loopback host (only for trusted local networks)'),
    batch: batchSchema.prefault({}),
    timeouts: timeoutsSchema.prefault({}),
    ...deliveryPolicyShape,
    classification: classificationConfigSchema,
    auth: authConfigSchema.prefault({ type: 'none' }),
    tls: tlsConfigSchema.prefault({}),
    proxy: proxyConfigSchema.prefault({}),
    apiVersion: apiVersionSchema.optional(),
  })
  .superRefine((destination, ctx) => {
    const versionInPath = templateFields(destination.url).includes('apiVersion');
    if (versionInPath !== (destination.apiVersion?.via === 'path'))
      ctx.addIssue({
        code: 'custom',
        path: versionInPath ? ['url'] : ['apiVersion', 'via'],
        message: versionInPath
          ? 'the URL uses {{apiVersion}}, and the destination has no apiVersion sent via path'
          : 'apiVersion via path needs {{apiVersion}} in the URL',
        params: {
          fix: versionInPath
            ? 'add apiVersion: { value: "2025-01-01", via: path }, or remove {{apiVersion}} from the URL'
            : 'put {{apiVersion}} where the version goes, e.g. https://api.example.com/{{apiVersion}}/invoices',
        },
      });
    for (const problem of templateProblems(destination.url, versionInPath ? ['apiVersion'] : [])) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: problem,
        params: { fix: 'see the README section "URL templates"' },
      });
    }
    const recordFields = templateFields(destination.url).filter((f) => f !== 'apiVersion');
    if (destination.batch.format !== 'none' && recordFields.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: `placeholders ${recordFields
          .map((f) => `{{${f}}}`)
          .join(', ')} have no single value in a batch of records`,
        params: { fix: 'remove the placeholders from the URL, or set batch.format to none' },
      });
    }
    const plainHttp = plainHttpProblem(destination.url, destination.allowInsecureHttp);
    if (plainHttp) ctx.addIssue({ code: 'custom', path: ['url'], ...plainHttp });
    if (destination.timeouts.totalMs < destination.timeouts.connectMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeouts', 'totalMs'],
        message: `totalMs (${destination.timeouts.totalMs}) is shorter than connectMs (${destination.timeouts.connectMs})`,
        params: { fix: 'make totalMs at least as long as connectMs and responseMs' },
      });
    }
    if (destination.leaseMs >= 1000 && destination.leaseMs <= destination.timeouts.totalMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['leaseMs'],
        message: `leaseMs (${destination.leaseMs}) must be longer than timeouts.totalMs (${destination.timeouts.totalMs}): a lease could expire while its request is still running`,
        params: { fix: `set leaseMs to at least ${destination.timeouts.totalMs + 10_000}` },
      });
    }
  })
  .describe('Sends records to an HTTP endpoint');

export type HttpDestinationConfig = z.output<typeof httpDestinationSchema>;
