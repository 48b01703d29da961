// HTTP's own verdict on a send: 2xx delivered, transient statuses and network failures retried (Retry-After honoured), the rest dead.
import type { Outcome, ResponseExcerpt } from '../../core/destination.js';
import { retryAfterMs } from './retry-after.js';

/** What came back from one HTTP request, before classification. */
export interface HttpResponseSummary {
  status: number;
  headers: Record<string, string>;
  bodyExcerpt: string;
}

export type HttpAnswer =
  | { kind: 'response'; response: HttpResponseSummary; serverIds?: Record<number, string> }
  | { kind: 'failure'; error: string; code?: string };

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

/** A 422 means key reuse only when the server says so; many APIs use 422 for validation errors. */
const keyReuse = /idempotency|(key|payload).{0,40}(reuse|different|mismatch)/i;

/** The verdict in plain words; `quoted` ends it with the start of the server's answer when there is one. */
function verdictOf(
  response: HttpResponseSummary,
  idempotencyKey: string,
): { verdict: string; quoted: boolean } {
  const quoted = response.bodyExcerpt !== '';
  if (response.status === 422 && keyReuse.test(response.bodyExcerpt)) {
    return {
      verdict:
        `HTTP 422: the server already holds a different payload under Idempotency-Key ${idempotencyKey} ` +
        `(key reused with a different payload). Replaying sends the same key and payload again`,
      quoted,
    };
  }
  if (response.status === 422)
    return {
      verdict: `HTTP 422: the server refused the record as invalid${quoted ? '' : ' (it gave no reason)'}`,
      quoted,
    };
  if (response.status === 409)
    return {
      verdict: `HTTP 409: a request with this Idempotency-Key is still in progress at the server`,
      quoted: false,
    };
  if (response.status >= 300 && response.status < 400) {
    const to = response.headers.location ? ` to ${response.headers.location}` : '';
    return {
      verdict:
        `HTTP ${response.status}: the server redirects${to}. The agent does not follow redirects, so records never ` +
        `go anywhere the config does not name. Fix: put the final URL in the destination config, then replay`,
      quoted: false,
    };
  }
  return { verdict: `HTTP ${response.status}`, quoted };
}

/** The error with up to 200 characters of the answer, and (when it quotes them) the same without the server's words. */
function describeStatus(response: HttpResponseSummary, idempotencyKey: string) {
  const { verdict, quoted } = verdictOf(response, idempotencyKey);
  if (!quoted) return { error: verdict };
  return { error: `${verdict}: ${response.bodyExcerpt.slice(0, 200)}`, errorWithoutAnswer: verdict };
}

/** 429 and 409 say the server is fine but asks us to wait; other transient answers count against its circuit. */
function signalOf(status: number): 'failure' | 'throttled' {
  return status === 429 || status === 409 ? 'throttled' : 'failure';
}

export function excerptOf(response: HttpResponseSummary): ResponseExcerpt {
  return { code: `HTTP ${response.status}`, details: response.headers, excerpt: response.bodyExcerpt };
}

export function classify(
  answer: HttpAnswer,
  idempotencyKey: string,
  now: number,
  policy: ClassificationPolicy = defaultClassification,
): Outcome {
  if (answer.kind === 'failure') {
    const error =
      answer.code && !answer.error.includes(answer.code) ? `${answer.code}: ${answer.error}` : answer.error;
    return { kind: 'retry', error, signal: 'failure' };
  }
  const { response } = answer;
  const status = response.status;
  const code = `HTTP ${status}`;
  if (status >= 200 && status < 300)
    return { kind: 'delivered', code, ...(answer.serverIds ? { serverIds: answer.serverIds } : {}) };
  const described = describeStatus(response, idempotencyKey);
  if (isTransientStatus(status, policy)) {
    const after = retryAfterMs(response.headers, now);
    return {
      kind: 'retry',
      ...described,
      code,
      signal: signalOf(status),
      ...(after !== undefined ? { retryAfterMs: after } : {}),
    };
  }
  return { kind: 'dead', ...described, code, response: excerptOf(response) };
}
