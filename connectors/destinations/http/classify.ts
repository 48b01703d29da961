// The one place that decides whether a send result is delivered, worth retrying, or dead (permanent).
import type { Receipt, ResponseSummary, SentResult } from '../../core/destination.js';
import { retryAfterMs } from './retry-after.js';

/**
 * What an outcome says about the destination itself, for the circuit breaker: `failure` (network error, timeout,
 * 408/5xx), `throttled` (429 and 409: the server is fine but asks us to wait), `healthy` (delivered, or a permanent
 * problem of this record such as a 400 — the server answered sanely).
 */
export type DestinationSignal = 'healthy' | 'failure' | 'throttled';

export type Classified =
  | { kind: 'delivered'; receipt: Receipt; signal: 'healthy' }
  | { kind: 'retry'; error: string; status?: number; retryAfterMs?: number; signal: DestinationSignal }
  | { kind: 'dead'; error: string; status: number; response: ResponseSummary; signal: 'healthy' };

/** Per-destination overrides of the default status classes. */
export interface ClassificationPolicy {
  /** Extra statuses to retry (e.g. 401 while a partner rotates credentials). */
  retryOn: readonly number[];
  /** Statuses to dead-letter even though they are transient by default (e.g. a 503 that means "feature disabled"). */
  deadOn: readonly number[];
}

export const defaultClassification: ClassificationPolicy = { retryOn: [], deadOn: [] };

/** Statuses that mean "try again later": timeouts, too early, rate limited, server errors, and 409 (same key still in progress). */
const transientStatuses = new Set([408, 409, 425, 429]);

export function isTransientStatus(
  status: number,
  policy: ClassificationPolicy = defaultClassification,
): boolean {
  if (policy.deadOn.includes(status)) return false;
  return status >= 500 || transientStatuses.has(status) || policy.retryOn.includes(status);
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
  if (response.status >= 300 && response.status < 400) {
    const to = response.headers.location ? ` to ${response.headers.location}` : '';
    return (
      `HTTP ${response.status}: the server redirects${to}. The agent does not follow redirects, so records never ` +
      `go anywhere the config does not name. Fix: put the final URL in the destination config, then replay`
    );
  }
  return `HTTP ${response.status}${excerpt}`;
}

function signalOf(status: number): DestinationSignal {
  return status === 429 || status === 409 ? 'throttled' : 'failure';
}

export function classify(
  result: SentResult,
  idempotencyKey: string,
  now: number,
  policy: ClassificationPolicy = defaultClassification,
): Classified {
  if (result.kind === 'failure') {
    const error =
      result.code && !result.error.includes(result.code) ? `${result.code}: ${result.error}` : result.error;
    return { kind: 'retry', error, signal: 'failure' };
  }
  const { response } = result;
  const status = response.status;
  if (status >= 200 && status < 300)
    return { kind: 'delivered', receipt: { status, at: now }, signal: 'healthy' };
  const error = describeStatus(response, idempotencyKey);
  if (isTransientStatus(status, policy)) {
    const after = retryAfterMs(response.headers, now);
    return {
      kind: 'retry',
      error,
      status,
      signal: signalOf(status),
      ...(after !== undefined ? { retryAfterMs: after } : {}),
    };
  }
  return { kind: 'dead', error, status, response, signal: 'healthy' };
}
