// The status snapshot every surface shows (CLI, web console, desktop UI): schema and type, browser-safe.
import { z } from 'zod';

export const overallHealthSchema = z.enum(['in-sync', 'catching-up', 'attention', 'stopped']);

export const sourceStatusSchema = z.object({
  type: z.string(),
  state: z.enum(['starting', 'running', 'paused', 'degraded', 'stopped', 'failed']),
  detail: z.string().optional(),
  guarantee: z.string(),
  mode: z.string().optional(),
  lastCaptureAt: z.number().optional(),
  lagMs: z.number().optional(),
  /** Work noticed at the source but not captured yet, e.g. { count: 1408, unit: 'file' }. */
  waiting: z.object({ count: z.number(), unit: z.string() }).optional(),
  /** Logical decoding: WAL the replication slot holds back, unconfirmed WAL, and the alert size (slotAlertBytes). */
  replicationSlot: z
    .object({
      name: z.string(),
      retainedBytes: z.number(),
      lagBytes: z.number(),
      active: z.boolean(),
      alertBytes: z.number(),
      checkedAt: z.number(),
    })
    .optional(),
  /** The connection's mapping, e.g. "mapping v3; 12 records skipped by the mapping filter". */
  mapping: z.string().optional(),
});

export const circuitStatusSchema = z.object({
  state: z.enum(['closed', 'open', 'half-open']),
  /** Why it opened, in plain words. */
  reason: z.string().optional(),
  openedAt: z.number().optional(),
  /** When the next probe request may go out. */
  probeAt: z.number().optional(),
  consecutiveFailures: z.number(),
});

export const destinationStatusSchema = z.object({
  type: z.string(),
  label: z.string(),
  state: z.enum([
    'idle',
    'sending',
    'retrying',
    'throttled',
    'circuit-open',
    'outside-window',
    'paused',
    'stopped',
  ]),
  detail: z.string().optional(),
  warning: z.string().optional(),
  lastSuccessAt: z.number().optional(),
  lastError: z.string().optional(),
  lastErrorAt: z.number().optional(),
  consecutiveFailures: z.number(),
  circuit: circuitStatusSchema.optional(),
  sendingWindow: z
    .object({ open: z.boolean(), schedule: z.string(), nextOpenAt: z.number().optional() })
    .optional(),
  /** The server asked the whole destination to wait until then (429/503 with Retry-After). */
  holdUntil: z.number().optional(),
  /** How it connects, as the connector describes it (e.g. proxy origin, auth kind, extra CA): never credentials. */
  connection: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
  /** The API announced its deprecation or sunset (Deprecation / Sunset response headers); dates in epoch ms. */
  apiNotice: z
    .object({
      deprecated: z.boolean(),
      deprecationAt: z.number().optional(),
      sunsetAt: z.number().optional(),
      link: z.string().optional(),
      seenAt: z.number(),
    })
    .optional(),
});

export const connectionStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  /** Paused by an admin (capture and delivery stopped until resumed). */
  paused: z.boolean().optional(),
  health: overallHealthSchema,
  /** Plain-words reason when the connection is not in sync: every problem, worst first, in one line. */
  reason: z.string().optional(),
  /** The same problems one by one, worst first. */
  problems: z.array(z.string()).optional(),
  source: sourceStatusSchema.optional(),
  destination: destinationStatusSchema.optional(),
  pending: z.number(),
  pendingBytes: z.number(),
  dead: z.number(),
  oldestPendingAt: z.number().optional(),
  lastDeliveredAt: z.number().optional(),
  /** While delivery waits after a failure: when the next try goes out (retry backoff, circuit probe, Retry-After). */
  nextRetryAt: z.number().optional(),
  /** Conditions worth a look even while records flow (old pending records, records past the dedupe window). */
  warnings: z.array(z.string()).default([]),
});

export const noticeSchema = z.object({
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  at: z.number(),
});

export const agentStatusSchema = z.object({
  version: z.string(),
  pid: z.number(),
  sandbox: z.boolean(),
  dataDir: z.string(),
  startedAt: z.number(),
  updatedAt: z.number(),
  state: z.enum(['running', 'stopping', 'stopped']),
  health: overallHealthSchema,
  summary: z.string(),
  notices: z.array(noticeSchema),
  outbox: z.object({
    pending: z.number(),
    pendingBytes: z.number(),
    dead: z.number(),
    capturePaused: z.boolean(),
    capturePausedReason: z.string().optional(),
    /** When the outbox reaches its first limit at its current net growth; absent while it does not grow. */
    forecast: z
      .object({
        limit: z.enum(['disk-floor', 'outbox-size', 'pending-records', 'pending-bytes']),
        inMs: z.number(),
        at: z.number(),
        bytesPerHour: z.number(),
        recordsPerHour: z.number(),
        message: z.string(),
      })
      .optional(),
  }),
  connections: z.array(connectionStatusSchema),
});

export type OverallHealth = z.infer<typeof overallHealthSchema>;
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;
export type AgentStatus = z.infer<typeof agentStatusSchema>;
export type Notice = z.infer<typeof noticeSchema>;
