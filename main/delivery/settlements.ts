// Turns one send's result into a settlement per record: delivered, retry at a time, or dead.
import type { Outcome, OutgoingRequest, SendResult } from '../../connectors/core/destination.js';
import type { Settlement } from '../outbox/settle.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import type { DestinationSignal } from './destination-signal.js';

export interface SettlementContext {
  now: number;
  retry: BackoffPolicy;
  /** The send was cut short by shutdown: retry at once after restart, not a failure of the server. */
  interrupted: boolean;
  /** Set for a batch request: kept in each member's receipt. */
  batchKey?: string;
  /** The receiver's answer sealed at rest (outbox encryption on), kept with each record's attempt. */
  sealedAnswer?: string;
  random?: () => number;
}

type Delivered = Extract<Outcome, { kind: 'delivered' }>;
type Retry = Extract<Outcome, { kind: 'retry' }>;
type Dead = Extract<Outcome, { kind: 'dead' }>;

/** The destination's outcome of a send plus what it says about the destination itself, for the gate. */
export type Classified =
  | (Delivered & { signal: 'healthy' })
  | (Omit<Retry, 'signal'> & { signal: DestinationSignal })
  | (Dead & { signal: 'healthy' });

export interface RequestOutcome {
  settlements: Settlement[];
  /** The outcome of the send, absent when nothing was sent (every record rejected). */
  classified?: Classified;
  /** For a retry: when it is due. */
  retryAt?: number;
}

const interrupted: Classified = {
  kind: 'retry',
  error: 'interrupted: the agent was shutting down',
  signal: 'healthy',
};

/** Delivered and dead both mean the destination answered sanely; a retry carries the destination's own signal. */
function withSignal(outcome: Outcome): Classified {
  return outcome.kind === 'retry' ? outcome : { ...outcome, signal: 'healthy' };
}

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
  const classified = context.interrupted ? interrupted : withSignal(result);
  const code = classified.code === undefined ? {} : { code: classified.code };
  const sealed = context.sealedAnswer === undefined ? {} : { sealedAnswer: context.sealedAnswer };
  if (classified.kind === 'delivered') {
    for (const record of sent) {
      const serverId = classified.serverIds?.[record.id];
      const receipt = {
        code: classified.code,
        at: context.now,
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
    for (const record of sent)
      settlements.push({
        id: record.id,
        kind: 'retry',
        retryAt,
        error: classified.error,
        ...code,
        ...sealed,
        ...facts,
      });
    return { settlements, classified, retryAt };
  }
  const response = classified.response ? { response: classified.response } : {};
  for (const record of sent)
    settlements.push({
      id: record.id,
      kind: 'dead',
      error: classified.error,
      ...code,
      ...response,
      ...sealed,
      ...facts,
    });
  return { settlements, classified };
}
