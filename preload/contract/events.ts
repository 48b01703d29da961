// Events the agent pushes to the UI (status, log lines, alerts, new dead letters) and the payload shapes the API returns for logs and charts.
import { z } from 'zod';
import { logLevelSchema } from './settings.js';
import { agentStatusSchema } from './status.js';

export const logEventSchema = z.object({
  at: z.number(),
  level: logLevelSchema,
  msg: z.string(),
  connection: z.string().optional(),
  recordId: z.number().optional(),
  /** Other structured fields of the log line, already redacted. */
  data: z.record(z.string(), z.unknown()).optional(),
});

export const alertEventSchema = z.object({
  id: z.string(),
  rule: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  state: z.enum(['firing', 'resolved']),
  message: z.string(),
  connection: z.string().optional(),
  at: z.number(),
});

export const deadLetterEventSchema = z.object({
  connection: z.string(),
  ids: z.array(z.number()),
  reason: z.string(),
  at: z.number(),
});

export const throughputMinuteSchema = z.object({
  at: z.number(),
  captured: z.number(),
  delivered: z.number(),
  failed: z.number(),
});

export const throughputSeriesSchema = z.object({
  connection: z.string(),
  minutes: z.array(throughputMinuteSchema),
});

export const agentEvents = {
  status: agentStatusSchema,
  log: logEventSchema,
  alert: alertEventSchema,
  deadLetter: deadLetterEventSchema,
} as const;

export type AgentEvents = typeof agentEvents;
export type AgentEventName = keyof AgentEvents;
export type AgentEventPayload<E extends AgentEventName> = z.output<AgentEvents[E]>;
export type LogEvent = z.infer<typeof logEventSchema>;
export type AlertEvent = z.infer<typeof alertEventSchema>;
export type DeadLetterEvent = z.infer<typeof deadLetterEventSchema>;
export type ThroughputSeries = z.infer<typeof throughputSeriesSchema>;
