// HTTP classification of answers: delivered with the status as code, transient statuses retried, permanent ones dead-lettered.
import { describe, expect, it } from 'vitest';
import {
  classify,
  isTransientStatus,
  type HttpAnswer,
  type HttpResponseSummary,
} from '../../../../connectors/destinations/http/classify.js';

const now = 1_900_000_000_000;
const key = 'folder-3f9a7c21';

function response(
  status: number,
  headers: Record<string, string> = {},
  bodyExcerpt = '',
): HttpResponseSummary {
  return { status, headers, bodyExcerpt };
}

function answered(status: number, headers: Record<string, string> = {}, bodyExcerpt = ''): HttpAnswer {
  return { kind: 'response', response: response(status, headers, bodyExcerpt) };
}

describe('classify', () => {
  it.each([200, 201, 202, 204])('marks HTTP %i as delivered with a receipt', (status) => {
    expect(classify(answered(status), key, now)).toEqual({
      kind: 'delivered',
      code: `HTTP ${status}`,
    });
  });

  it.each([408, 409, 425, 429, 500, 502, 503, 504, 599])('retries HTTP %i', (status) => {
    const outcome = classify(answered(status), key, now);
    expect(outcome.kind).toBe('retry');
    if (outcome.kind !== 'retry') return;
    expect(outcome.code).toBe(`HTTP ${status}`);
    expect(outcome.error).toContain(String(status));
    expect(outcome).not.toHaveProperty('retryAfterMs');
  });

  it('honours Retry-After on 429', () => {
    const outcome = classify(answered(429, { 'retry-after': '17' }), key, now);
    expect(outcome).toMatchObject({ kind: 'retry', code: 'HTTP 429', retryAfterMs: 17_000 });
  });

  it('honours an HTTP-date Retry-After on 503 relative to now', () => {
    const outcome = classify(
      answered(503, { 'retry-after': new Date(now + 60_000).toUTCString() }),
      key,
      now,
    );
    expect(outcome).toMatchObject({ kind: 'retry', code: 'HTTP 503', retryAfterMs: 60_000 });
  });

  it('explains 409 as the same key still in progress', () => {
    const outcome = classify(answered(409), key, now);
    expect(outcome.kind).toBe('retry');
    if (outcome.kind === 'retry') expect(outcome.error).toMatch(/in progress/);
  });

  it.each([400, 401, 403, 404, 410])('dead-letters HTTP %i with the response', (status) => {
    const res = response(status, { 'content-type': 'application/json' }, '{"error":"nope"}');
    const outcome = classify({ kind: 'response', response: res }, key, now);
    expect(outcome).toEqual({
      kind: 'dead',
      code: `HTTP ${status}`,
      response: { code: `HTTP ${status}`, details: res.headers, excerpt: res.bodyExcerpt },
      error: `HTTP ${status}: {"error":"nope"}`,
      errorWithoutAnswer: `HTTP ${status}`,
    });
  });

  it('keeps only the first 200 characters of the body in the error', () => {
    const outcome = classify(answered(400, {}, 'x'.repeat(500)), key, now);
    expect(outcome.kind).toBe('dead');
    if (outcome.kind === 'dead') expect(outcome.error).toBe(`HTTP 400: ${'x'.repeat(200)}`);
  });

  it('dead-letters 422 saying the key was reused with a different payload, naming the key, when the server says so', () => {
    const body =
      '{"title":"Idempotency-Key reused","detail":"This key was already used with a different payload."}';
    const outcome = classify(answered(422, {}, body), key, now);
    expect(outcome.kind).toBe('dead');
    if (outcome.kind !== 'dead') return;
    expect(outcome.code).toBe('HTTP 422');
    expect(outcome.error).toContain('key reused with a different payload');
    expect(outcome.error).toContain(key);
    expect(outcome.response?.code).toBe('HTTP 422');
  });

  it('a 422 that is a validation error says what the server said, without talk of key reuse', () => {
    const outcome = classify(answered(422, {}, '{"errors":{"amount":"must be a number"}}'), key, now);
    expect(outcome).toMatchObject({
      kind: 'dead',
      error: 'HTTP 422: the server refused the record as invalid: {"errors":{"amount":"must be a number"}}',
    });
    if (outcome.kind === 'dead') expect(outcome.error).not.toContain('key reused');
    expect(classify(answered(422), key, now)).toMatchObject({
      error: 'HTTP 422: the server refused the record as invalid (it gave no reason)',
    });
  });

  it("keeps the verdict without the server's words apart, for outbox encryption; an answer without a body quotes nothing", () => {
    const body = '{"errors":{"iban":"DE89 3704 is not valid for Jane Doe"}}';
    expect(classify(answered(422, {}, body), key, now)).toMatchObject({
      error: `HTTP 422: the server refused the record as invalid: ${body}`,
      errorWithoutAnswer: 'HTTP 422: the server refused the record as invalid',
    });
    const reuse = classify(answered(422, {}, '{"detail":"Idempotency-Key reused"}'), key, now);
    expect(reuse.kind === 'dead' && reuse.errorWithoutAnswer).toMatch(
      /key reused with a different payload\)\. Replaying sends the same key and payload again$/,
    );
    expect(classify(answered(503, {}, body), key, now)).toMatchObject({
      kind: 'retry',
      error: `HTTP 503: ${body}`,
      errorWithoutAnswer: 'HTTP 503',
    });
    expect(classify(answered(422), key, now)).not.toHaveProperty('errorWithoutAnswer');
    expect(classify(answered(409, {}, body), key, now)).not.toHaveProperty('errorWithoutAnswer');
  });

  it('retries network failures as a failure of the destination, adding the code when the message lacks it', () => {
    const refused = classify(
      { kind: 'failure', error: 'connect ECONNREFUSED 10.0.0.5:443', code: 'ECONNREFUSED' },
      key,
      now,
    );
    expect(refused).toEqual({ kind: 'retry', error: 'connect ECONNREFUSED 10.0.0.5:443', signal: 'failure' });
    const timeout = classify(
      { kind: 'failure', error: 'Timeout awaiting response', code: 'ETIMEDOUT' },
      key,
      now,
    );
    expect(timeout).toEqual({
      kind: 'retry',
      error: 'ETIMEDOUT: Timeout awaiting response',
      signal: 'failure',
    });
  });

  it('retries failures without a code using the bare message', () => {
    const outcome = classify({ kind: 'failure', error: 'socket hang up' }, key, now);
    expect(outcome).toEqual({ kind: 'retry', error: 'socket hang up', signal: 'failure' });
  });

  it('tells the circuit breaker that 429 and 409 are throttling, 5xx and 408 failures', () => {
    expect(classify(answered(429), key, now)).toMatchObject({ signal: 'throttled' });
    expect(classify(answered(409), key, now)).toMatchObject({ signal: 'throttled' });
    expect(classify(answered(503), key, now)).toMatchObject({ signal: 'failure' });
    expect(classify(answered(408), key, now)).toMatchObject({ signal: 'failure' });
  });

  it('dead-letters a redirect, naming where it points and that redirects are not followed', () => {
    const outcome = classify(answered(301, { location: 'https://api.example.com/v2/invoices' }), key, now);
    expect(outcome.kind).toBe('dead');
    if (outcome.kind === 'dead') {
      expect(outcome.error).toContain('https://api.example.com/v2/invoices');
      expect(outcome.error).toContain('does not follow redirects');
    }
  });

  it('applies per-destination overrides: retryOn makes a 4xx transient, deadOn makes a 5xx permanent', () => {
    const policy = { retryOn: [401], deadOn: [501] };
    expect(classify(answered(401), key, now, policy).kind).toBe('retry');
    expect(classify(answered(501), key, now, policy).kind).toBe('dead');
    expect(classify(answered(503), key, now, policy).kind).toBe('retry');
    expect(classify(answered(403), key, now, policy).kind).toBe('dead');
  });
});

describe('isTransientStatus', () => {
  it('separates transient from permanent statuses', () => {
    expect([408, 409, 425, 429, 500, 503].every((s) => isTransientStatus(s))).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some((s) => isTransientStatus(s))).toBe(false);
  });
});
