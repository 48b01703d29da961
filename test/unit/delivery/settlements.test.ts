// One request's result becomes one settlement per record: receipts per member, shared retry time, dead with reasons.
import { describe, expect, it } from 'vitest';
import type { OutgoingRecord, OutgoingRequest, SendResult } from '../../../connectors/core/destination.js';
import { settlementsFor, type SettlementContext } from '../../../main/delivery/settlements.js';

const now = 1_900_000_000_000;

function record(id: number, attempts = 1): OutgoingRecord {
  return {
    id,
    idempotencyKey: `k${id}`,
    businessKey: null,
    contentType: 'application/json',
    payload: Buffer.from('{}'),
    attempts,
  };
}

const batch: OutgoingRequest = {
  idempotencyKey: 'batch-3-abc',
  records: [record(1), record(2, 3), record(3)],
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

const context: SettlementContext = {
  now,
  retry: { baseMs: 1000, capMs: 60_000 },
  interrupted: false,
  batchKey: 'batch-3-abc',
  random: () => 0.5,
};

const request = { operation: 'POST', target: 'https://api.example.com/x', bytes: 10, records: 2 };

describe('settlementsFor', () => {
  it('delivers every sent member with its own server id and the batch key, and dead-letters the rejected one', () => {
    const result: SendResult = {
      kind: 'delivered',
      code: 'HTTP 201',
      serverIds: { 1: 's-1', 3: 's-3' },
      latencyMs: 40,
      request,
      rejected: [{ id: 2, error: 'the payload is not valid JSON' }],
    };
    const { settlements, classified } = settlementsFor(batch, result, context);
    expect(classified?.kind).toBe('delivered');
    expect(settlements).toEqual([
      { id: 2, kind: 'dead', error: 'not sent: the payload is not valid JSON', latencyMs: 0 },
      {
        id: 1,
        kind: 'delivered',
        receipt: { code: 'HTTP 201', at: now, serverId: 's-1', batchKey: 'batch-3-abc' },
        latencyMs: 40,
        traceparent: batch.traceparent,
        request,
      },
      {
        id: 3,
        kind: 'delivered',
        receipt: { code: 'HTTP 201', at: now, serverId: 's-3', batchKey: 'batch-3-abc' },
        latencyMs: 40,
        traceparent: batch.traceparent,
        request,
      },
    ]);
  });

  it('retries every member at one time, backing off by the most-tried member and never before Retry-After', () => {
    const result: SendResult = {
      kind: 'retry',
      error: 'HTTP 503',
      code: 'HTTP 503',
      signal: 'failure',
      retryAfterMs: 30_000,
      latencyMs: 5,
    };
    const { settlements, retryAt } = settlementsFor(batch, result, context);
    expect(retryAt).toBe(now + 30_000); // backoff for attempt 3 is 0.5 × 4 s = 2 s, Retry-After wins
    expect(settlements.map((s) => s.kind)).toEqual(['retry', 'retry', 'retry']);
    expect(new Set(settlements.map((s) => (s.kind === 'retry' ? s.retryAt : 0)))).toEqual(
      new Set([now + 30_000]),
    );
    const { retryAfterMs: _asked, ...withoutRetryAfter } = result;
    const fast = settlementsFor(batch, withoutRetryAfter, context);
    expect(fast.retryAt).toBe(now + 2000);
  });

  it('a send cut short by shutdown is retried at once and is not a failure of the server', () => {
    const result: SendResult = {
      kind: 'retry',
      error: 'This operation was aborted',
      signal: 'failure',
      latencyMs: 3,
    };
    const outcome = settlementsFor(batch, result, { ...context, interrupted: true });
    expect(outcome.retryAt).toBe(now);
    expect(outcome.classified).toMatchObject({ kind: 'retry', signal: 'healthy' });
    expect(outcome.settlements.every((s) => s.kind === 'retry' && s.error.startsWith('interrupted'))).toBe(
      true,
    );
  });

  it('a permanent answer dead-letters the members with the response', () => {
    const response = { code: 'HTTP 400', details: {}, excerpt: '{"error":"bad"}' };
    const error = 'HTTP 400: {"error":"bad"}';
    const result: SendResult = { kind: 'dead', error, code: 'HTTP 400', response, latencyMs: 9 };
    const { settlements } = settlementsFor(batch, result, context);
    expect(settlements).toHaveLength(3);
    expect(settlements[0]).toMatchObject({
      kind: 'dead',
      code: 'HTTP 400',
      response,
      error: 'HTTP 400: {"error":"bad"}',
    });
  });

  it('nothing sent: only the rejections, no classification', () => {
    const outcome = settlementsFor(
      { idempotencyKey: 'k1', records: [record(1)] },
      { kind: 'not-sent', latencyMs: 0, rejected: [{ id: 1, error: 'cannot build the URL' }] },
      context,
    );
    expect(outcome.classified).toBeUndefined();
    expect(outcome.settlements).toEqual([
      { id: 1, kind: 'dead', error: 'not sent: cannot build the URL', latencyMs: 0 },
    ]);
  });
});
