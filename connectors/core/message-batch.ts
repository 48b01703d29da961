// Broker batches: each record of a leased batch is published as its own message, pipelined, and the answers folded into one result.
import type { BatchLimits, OutgoingRequest, RejectedRecord, SendResult } from './destination.js';
import type { MessageBatchConfig } from './message-batch-config.js';

export function batchLimitsOf(config: MessageBatchConfig | undefined): BatchLimits | undefined {
  return config && { maxRecords: config.maxRecords, maxBytes: config.maxBytes, lingerMs: config.lingerMs };
}

/**
 * One result for a batch from its members' results: a member the broker refused for good is dead on its own (a
 * rejected record); any member to retry sends the open rest again (members already acknowledged arrive twice, and
 * consumers drop them by key); otherwise the batch is delivered.
 */
export function foldMemberResults(request: OutgoingRequest, results: SendResult[]): SendResult {
  const rejected: RejectedRecord[] = [];
  let retry: SendResult | undefined;
  let delivered: SendResult | undefined;
  let bytes = 0;
  results.forEach((result, index) => {
    const id = request.records[index]!.id;
    bytes += result.request?.bytes ?? 0;
    for (const r of result.rejected ?? []) rejected.push(r);
    if (result.kind === 'dead') rejected.push({ id, error: result.error });
    else if (result.kind === 'retry') retry ??= result;
    else if (result.kind === 'delivered') delivered ??= result;
  });
  const latencyMs = Math.max(0, ...results.map((r) => r.latencyMs));
  const first = results.find((r) => r.request)?.request;
  const summary = first ? { request: { ...first, bytes, records: request.records.length } } : {};
  const extra = { latencyMs, ...summary, ...(rejected.length > 0 ? { rejected } : {}) };
  if (retry?.kind === 'retry') {
    const { error, signal } = retry;
    return {
      kind: 'retry',
      error,
      signal,
      ...(retry.code !== undefined ? { code: retry.code } : {}),
      ...(retry.retryAfterMs !== undefined ? { retryAfterMs: retry.retryAfterMs } : {}),
      ...extra,
    };
  }
  if (delivered?.kind === 'delivered') return { kind: 'delivered', code: delivered.code, ...extra };
  return { kind: 'not-sent', ...extra };
}

/**
 * Sends at once that keep a window of `window` publishes full when each send leases a batch of `batch` members: one
 * more than the batches the window holds, so one batch is leased and settled while the others publish. More sends
 * only lease records that wait for a slot, holding their ordering keys.
 */
export function pipelinedSends(window: number, batch: number): number {
  return Math.min(window, Math.ceil(window / batch) + 1);
}
