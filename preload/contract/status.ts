// The status snapshot every surface shows (CLI, web console, desktop UI): schema and type, browser-safe.
import { z } from 'zod';

export const overallHealthSchema = z.enum(['in-sync', 'catching-up', 'attention', 'stopped']);

export const sourceStatusSchema = z.object({
  type: z.string(),
  state: z.enum(['starting', 'running', 'paused', 'degraded', 'stopped', 'failed']),
  detail: z.string().optional(),
  guarantee: z.string(),
  lastCaptureAt: z.number().optional(),
});

export const destinationStatusSchema = z.object({
  type: z.string(),
  label: z.string(),
  state: z.enum(['idle', 'sending', 'retrying', 'paused', 'stopped']),
  detail: z.string().optional(),
  warning: z.string().optional(),
  lastSuccessAt: z.number().optional(),
  lastError: z.string().optional(),
  lastErrorAt: z.number().optional(),
  consecutiveFailures: z.number(),
});

export const connectionStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  health: overallHealthSchema,
  /** Plain-words reason when the connection is not in sync. */
  reason: z.string().optional(),
  source: sourceStatusSchema.optional(),
  destination: destinationStatusSchema.optional(),
  pending: z.number(),
  pendingBytes: z.number(),
  dead: z.number(),
  oldestPendingAt: z.number().optional(),
  lastDeliveredAt: z.number().optional(),
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
  }),
  connections: z.array(connectionStatusSchema),
});

export type OverallHealth = z.infer<typeof overallHealthSchema>;
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;
export type AgentStatus = z.infer<typeof agentStatusSchema>;
export type Notice = z.infer<typeof noticeSchema>;
