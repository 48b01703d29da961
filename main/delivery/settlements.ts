// Turns one request's send result into a settlement per record: delivered, retry at a time, or dead.
import type { OutgoingRequest, SendResult } from '../../connectors/core/destination.js';
import type { Settlement } from '../outbox/settle.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import { classify, type ClassificationPolicy, type Classified } from '../../connectors/destinations/http/classify.js';

export interface SettlementContext {
  now: number;
  retry: BackoffPolicy;
  classification: ClassificationPolicy;
  /** The send was cut short by shutdown: retry at once after restart, not a failure of the server. */
  interrupted: boolean;
  /** Set for a batch request: kept in each member's receipt. */
  batchKey?: string;
  random?: () => number;
}

export interface RequestOutcome {
  settlements: Settlement[];
  /** The classified outcome of the request, absent when nothing was sent (every record rejected). */
  classified?: Classified;
  /** For a retry: when it is due. */
  retryAt?: number;
}

const interrupted: Classified = {
  kind: 'retry',
  error: 'interrupted: the agent was shutting down',
  signal: 'healthy',
};

export function settlementsFor(
  request: OutgoingRequest,
  result: SendResult,
  context: SettlementContext,
): RequestOutcome {
  const facts = {
    latencyMs: result.latencyMs,
    ...(request.traceparent ? { traceparent: request.traceparent } : {}),
    ...(result.request ? { request: result.request } : {}),
  };
  const rejectedIds = new Set((result.rejected ?? []).map((r) => r.id));
  const settlements: Settlement[] = (result.rejected ?? []).map((r) => ({
    id: r.id,
    kind: 'dead',
    error: `not sent: ${r.error}`,
    latencyMs: 0,
  }));
  if (result.kind === 'not-sent') return { settlements };
  const sent = request.records.filter((r) => !rejectedIds.has(r.id));
  const classified = context.interrupted
    ? interrupted
    : classify(result, request.idempotencyKey, context.now, context.classification);
  if (classified.kind === 'delivered') {
    const serverIds = result.kind === 'response' ? result.serverIds : undefined;
    for (const record of sent) {
      const serverId = serverIds?.[record.id];
      const receipt = {
        ...classified.receipt,
        ...(serverId !== undefined ? { serverId } : {}),
        ...(context.batchKey ? { batchKey: context.batchKey } : {}),
      };
      settlements.push({ id: record.id, kind: 'delivered', receipt, ...facts });
    }
    return { settlements, classified };
  }
  if (classified.kind === 'retry') {
    const attempts = Math.max(...sent.map((r) => r.attempts));
    const backoff = context.interrupted ? 0 : backoffDelayMs(context.retry, attempts, context.random);
    const retryAt = context.now + Math.max(backoff, classified.retryAfterMs ?? 0);
    const status = classified.status === undefined ? {} : { status: classified.status };
    for (const record of sent)
      settlements.push({
        id: record.id,
        kind: 'retry',
        retryAt,
        error: classified.error,
        ...status,
        ...facts,
      });
    return { settlements, classified, retryAt };
  }
  for (const record of sent) {
    settlements.push({
      id: record.id,
      kind: 'dead',
      error: classified.error,
      status: classified.status,
      response: classified.response,
      ...facts,
    });
  }
  return { settlements, classified };
}
