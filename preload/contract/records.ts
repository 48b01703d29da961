// Outbox records as the UI sees them: summaries (never payloads), timelines and dead letters (browser-safe).
import { z } from 'zod';

export const recordStateSchema = z.enum(['pending', 'leased', 'delivered', 'dead', 'discarded']);

export const receiptSchema = z.object({
  /** The receiver's answer in a few words, e.g. "HTTP 201". */
  code: z.string(),
  serverId: z.string().optional(),
  at: z.number(),
  batchKey: z.string().optional(),
});

export const recordSummarySchema = z.object({
  id: z.number(),
  connection: z.string(),
  state: recordStateSchema,
  idempotencyKey: z.string(),
  orderingKey: z.string(),
  businessKey: z.string().nullable(),
  contentType: z.string(),
  size: z.number(),
  /** Where the record came from (file path, table and key…). */
  origin: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
  capturedAt: z.number(),
  attempts: z.number(),
  nextAttemptAt: z.number(),
  lastError: z.string().nullable(),
  receipt: receiptSchema.nullable(),
  settledAt: z.number().nullable(),
  batchKey: z.string().nullable(),
});

export const timelineEventSchema = z.object({
  at: z.number(),
  kind: z.enum([
    'captured',
    'queued',
    'attempt',
    'delivered',
    'dead',
    'replayed',
    'remapped',
    'discarded',
    'lease-expired',
    'compacted',
    'rejected',
  ]),
  /** Attempt code, latency, request and response summaries, actor… as the outbox recorded them. */
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export const recordTimelineSchema = z.object({
  record: recordSummarySchema,
  events: z.array(timelineEventSchema),
});

export const deadLetterActionSchema = z.object({
  /** Ids acted on. */
  done: z.array(z.number()),
  /** Ids left alone: not dead letters (already replayed, discarded, unknown), or rejected at capture and never sent. */
  skipped: z.array(z.number()),
});

export type RecordSummary = z.infer<typeof recordSummarySchema>;
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
export type RecordTimeline = z.infer<typeof recordTimelineSchema>;
