// Alerts and their transitions (fired, repeated, resolved): zod schemas (browser-safe) and the engine's inputs.
import { z } from 'zod';
import type { AgentStatus } from '../../preload/contract/status.js';

export const alertRules = [
  'dead-letters',
  'pending-age',
  'circuit-open',
  'source-lag',
  'disk-low',
  'certificate-expiry',
  'oauth-failing',
  'slot-retention',
  'api-deprecation',
  'disk-forecast',
] as const;

export const alertSchema = z.object({
  /** `<rule>:<subject>`: stable while the condition lasts. */
  id: z.string(),
  rule: z.enum(alertRules),
  /** Connection id, destination, or `agent` for agent-wide conditions. */
  subject: z.string(),
  severity: z.enum(['warning', 'critical']),
  title: z.string(),
  /** What is wrong and what to do, in plain words (never secrets). */
  message: z.string(),
  /** When the condition was first seen (epoch ms). */
  since: z.number(),
  /** When a notification last went out for it (fired or repeated). */
  notifiedAt: z.number(),
});

export const alertTransitionSchema = z.object({
  kind: z.enum(['fired', 'repeated', 'resolved']),
  at: z.number(),
  alert: alertSchema,
});

export type AlertRule = (typeof alertRules)[number];
export type Alert = z.infer<typeof alertSchema>;
export type AlertTransition = z.infer<typeof alertTransitionSchema>;

/** One certificate a periodic check found on a destination's TLS chain (e.g. the leaf). */
export interface CertificateExpiry {
  /** Destination (connection id or host) the certificate belongs to: the alert's subject. */
  destination: string;
  notAfter: number;
  /** The certificate's subject, for the message. */
  subject?: string;
}

/** What the rules look at; a rule whose input is absent keeps its alerts as they are. */
export interface AlertInput {
  status?: AgentStatus;
  /** Free bytes on the data directory's disk. */
  freeDiskBytes?: number;
  /** The latest certificate check of every destination (an empty list resolves all certificate alerts). */
  certificates?: CertificateExpiry[];
}

export interface AlertThresholds {
  cooldownMs: number;
  pendingAgeMs: number;
  circuitOpenMs: number;
  sourceLagMs: number;
  minFreeDiskBytes: number;
  certificateExpiryMs: number;
  /** Alert when the outbox's forecast says a limit is reached within this long. */
  diskForecastMs: number;
}

const minute = 60_000;
const day = 24 * 60 * minute;

export const defaultAlertThresholds: AlertThresholds = {
  cooldownMs: 60 * minute,
  pendingAgeMs: 30 * minute,
  circuitOpenMs: 10 * minute,
  sourceLagMs: 15 * minute,
  minFreeDiskBytes: 512 * 1024 * 1024,
  certificateExpiryMs: 14 * day,
  diskForecastMs: 4 * 60 * minute,
};
