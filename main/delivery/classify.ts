// The one place that decides whether a send result is delivered, worth retrying, or dead (permanent).
import type { Receipt, ResponseSummary, SendResult } from '../../connectors/core/destination.js';
import { retryAfterMs } from './retry-after.js';

export type Classified =
  | { kind: 'delivered'; receipt: Receipt }
  | { kind: 'retry'; error: string; status?: number; retryAfterMs?: number }
  | { kind: 'dead'; error: string; status: number; response: ResponseSummary };

/** Statuses that mean "try again later": timeouts, too early, rate limited, server errors, and 409 (same key still in progress). */
const transientStatuses = new Set([408, 409, 425, 429]);

export function isTransientStatus(status: number): boolean {
  return status >= 500 || transientStatuses.has(status);
}

function describeStatus(response: ResponseSummary, idempotencyKey: string): string {
  const excerpt = response.bodyExcerpt ? `: ${response.bodyExcerpt.slice(0, 200)}` : '';
  if (response.status === 422) {
    return (
      `HTTP 422: the server already holds a different payload under Idempotency-Key ${idempotencyKey} ` +
      `(key reused with a different payload). Replaying sends the same key and payload again${excerpt}`
    );
  }
  if (response.status === 409)
    return `HTTP 409: a request with this Idempotency-Key is still in progress at the server`;
  return `HTTP ${response.status}${excerpt}`;
}

export function classify(result: SendResult, idempotencyKey: string, now: number): Classified {
  if (result.kind === 'failure') {
    return { kind: 'retry', error: result.code ? `${result.code}: ${result.error}` : result.error };
  }
  const { response } = result;
  if (response.status >= 200 && response.status < 300) {
    return {
      kind: 'delivered',
      receipt: {
        status: response.status,
        at: now,
        ...(result.serverId ? { serverId: result.serverId } : {}),
      },
    };
  }
  const error = describeStatus(response, idempotencyKey);
  if (isTransientStatus(response.status)) {
    const after = retryAfterMs(response.headers, now);
    return {
      kind: 'retry',
      error,
      status: response.status,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
    };
  }
  return { kind: 'dead', error, status: response.status, response };
}
