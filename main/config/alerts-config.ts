// Config schema of alerts: thresholds of each rule, the repeat cooldown and an optional webhook.
import { z } from 'zod';
import { secretNamePattern } from '../../connectors/core/secret-ref.js';
import { proxyConfigSchema, tlsConfigSchema } from '../../connectors/destinations/http/security-config.js';
import { isLoopbackHost } from '../../connectors/core/loopback.js';

const webhookSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an absolute https:// URL (http:// only on loopback)' })
      .describe('Receives one JSON POST per alert that fires, repeats or resolves'),
    secretRef: z
      .string()
      .regex(secretNamePattern, {
        error:
          'is not a valid secret name: use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit',
      })
      .optional()
      .describe('Name of a secret in the secret store that signs each body (HMAC-SHA256); never sent itself'),
    timeoutMs: z.int().min(100).max(120_000).default(10_000).describe('Timeout of one POST'),
    maxQueue: z
      .int()
      .min(1)
      .max(10_000)
      .default(100)
      .describe(
        'Notifications kept in memory while the receiver is unreachable; the oldest are dropped first',
      ),
    tls: tlsConfigSchema
      .optional()
      .describe('TLS settings as on an HTTP destination (extra CA, pins, client certificate); default: none'),
    proxy: proxyConfigSchema
      .optional()
      .describe('Proxy settings as on an HTTP destination; default: mode env (HTTPS_PROXY / NO_PROXY)'),
  })
  .superRefine((webhook, ctx) => {
    const url = new URL(webhook.url);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: `plain http:// to ${url.host} would send alerts unencrypted`,
        params: { fix: 'use an https:// URL (http:// is accepted only for a receiver on this machine)' },
      });
  })
  .describe('Optional webhook that receives alerts');

export const alertsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Evaluate alert rules and notify'),
    cooldownMinutes: z
      .number()
      .positive()
      .default(60)
      .describe('An alert that stays active is notified again after this long'),
    oldestPendingMinutes: z
      .number()
      .positive()
      .default(30)
      .describe('Alert when the oldest pending record of a connection is older than this'),
    circuitOpenMinutes: z
      .number()
      .positive()
      .default(10)
      .describe("Alert when a destination's circuit breaker stays open longer than this"),
    sourceLagMinutes: z
      .number()
      .positive()
      .default(15)
      .describe('Alert when capture trails its source by more than this'),
    minFreeDiskBytes: z
      .int()
      .min(0)
      .optional()
      .describe(
        'Alert when free disk on the data directory falls below this; default: outbox.minFreeDiskBytes',
      ),
    certificateExpiryDays: z
      .number()
      .positive()
      .default(14)
      .describe("Alert when a destination's TLS certificate expires within this many days"),
    diskForecastHours: z
      .number()
      .positive()
      .default(4)
      .describe(
        'Alert when, at its current net growth, the outbox reaches a limit (disk floor, size cap) within this long',
      ),
    webhook: webhookSchema.optional(),
  })
  .prefault({})
  .describe(
    'Alerts: dead letters, old pending records, open circuits, source lag, low disk, certificates, OAuth',
  );

export type AlertsConfig = z.output<typeof alertsConfigSchema>;
export type AlertWebhookConfig = NonNullable<AlertsConfig['webhook']>;
