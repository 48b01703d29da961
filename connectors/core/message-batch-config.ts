// The config block of a broker destination's optional batching (browser-safe: the wizard forms load it).
import { z } from 'zod';
import { batchLimitsShape } from './delivery-policy-config.js';

/** Config block of a broker destination's optional batching (absent: one record per send, as before). */
export const messageBatchSchema = z
  .strictObject({
    ...batchLimitsShape,
    maxRecords: z.int().min(1).max(10_000).default(100).describe('Most records leased for one send'),
    lingerMs: z
      .int()
      .min(0)
      .max(60_000)
      .default(0)
      .describe('Once a record is due, wait up to this long for a fuller batch'),
  })
  .describe(
    'Lease several records per send and publish them pipelined, each as its own message with its own key; one outbox commit per batch',
  );

export type MessageBatchConfig = z.output<typeof messageBatchSchema>;
