// The ingest server's injected faults: status codes, 429 forms, resets, hang, delay, slow response and slow read.
import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../connectors/destinations/http/retry-after.js';
import type { IngestFault } from '../../../main/sandbox/ingest-server.js';
import { post, sleep, useIngestServers, type Reply } from './ingest-fixture.js';

const start = useIngestServers();

/** A server whose first request gets `fault` and every later one none. */
const faultOnce = (fault: IngestFault) => start({ faults: ({ seq }) => (seq === 1 ? fault : undefined) });

const textHeaders = (reply: Reply) =>
  Object.fromEntries(
    Object.entries(reply.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );

describe('ingest server: faults', () => {
  it('status: answers the injected status, headers and body without applying', async () => {
    const server = await faultOnce({ kind: 'status', status: 503, headers: { 'x-why': 'maintenance' } });
    const reply = await post(server, { key: 'k1' });
    expect(reply.status).toBe(503);
    expect(reply.headers['x-why']).toBe('maintenance');
    expect(reply.body).toBe('{"error":"injected 503"}');
    expect(server.applied()).toHaveLength(0);
    expect((await post(server, { key: 'k1' })).status).toBe(201);
    expect(server.stats()).toMatchObject({ requests: 2, applied: 1, faults: 1, duplicates: 0 });
  });

  it('rate-limit: 429 with Retry-After in seconds', async () => {
    const server = await faultOnce({ kind: 'rate-limit', seconds: 7 });
    const reply = await post(server, { key: 'k1' });
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBe('7');
    expect(retryAfterMs(textHeaders(reply), Date.now())).toBe(7000);
    expect(server.applied()).toHaveLength(0);
  });

  it('rate-limit: 429 with Retry-After as an HTTP date, never earlier than asked', async () => {
    const server = await faultOnce({ kind: 'rate-limit', seconds: 5, form: 'http-date' });
    const sent = Date.now();
    const reply = await post(server, { key: 'k1' });
    const value = String(reply.headers['retry-after']);
    expect(value).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const wait = retryAfterMs(textHeaders(reply), sent);
    expect(wait).toBeGreaterThanOrEqual(5000);
    expect(wait).toBeLessThanOrEqual(7000);
  });

  it('rate-limit: 429 with RateLimit-Reset and no Retry-After', async () => {
    const server = await faultOnce({ kind: 'rate-limit', seconds: 3, form: 'ratelimit-reset' });
    const reply = await post(server, { key: 'k1' });
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBeUndefined();
    expect(reply.headers['ratelimit-reset']).toBe('3');
    expect(reply.headers['ratelimit-remaining']).toBe('0');
    expect(retryAfterMs(textHeaders(reply), Date.now())).toBe(3000);
  });

  it('reset before apply: the connection drops and nothing is applied', async () => {
    const server = await faultOnce({ kind: 'reset' });
    await expect(post(server, { key: 'k1' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(server.applied()).toHaveLength(0);
    const retry = await post(server, { key: 'k1' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  it('reset after apply: the connection drops, the record is applied, and the retry is a replay', async () => {
    const server = await faultOnce({ kind: 'reset', afterApply: true });
    await expect(post(server, { key: 'k1' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(server.applied()).toHaveLength(1);
    const retry = await post(server, { key: 'k1' });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(server.stats()).toMatchObject({ applied: 1, duplicates: 1, faults: 1 });
  });

  it('hang: never answers, applies nothing, holds the key (409) until the client gives up', async () => {
    const server = await faultOnce({ kind: 'hang' });
    const hung = post(server, { key: 'k1', timeoutMs: 400 });
    await sleep(150);
    expect((await post(server, { key: 'k1' })).status).toBe(409);
    await expect(hung).rejects.toThrow('client timeout after 400 ms');
    await sleep(50); // the server sees the connection close
    expect(server.applied()).toHaveLength(0);
    const retry = await post(server, { key: 'k1' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  it('delay: answers after the delay', async () => {
    const server = await faultOnce({ kind: 'delay', ms: 300 });
    const reply = await post(server, { key: 'k1' });
    expect(reply.status).toBe(201);
    expect(reply.ms).toBeGreaterThanOrEqual(290);
    // Once only: the next request goes without the 300 ms (relative, so a loaded machine cannot fail it).
    expect((await post(server, { key: 'k2' })).ms).toBeLessThan(reply.ms - 150);
  });

  it('delay past the client timeout: the server still applies, and the retry is a replay', async () => {
    const server = await faultOnce({ kind: 'delay', ms: 300 });
    await expect(post(server, { key: 'k1', timeoutMs: 100 })).rejects.toThrow('client timeout');
    expect(server.applied()).toHaveLength(0);
    await sleep(300);
    expect(server.applied()).toHaveLength(1);
    expect((await post(server, { key: 'k1' })).headers['idempotent-replayed']).toBe('true');
  });

  it('slow: applies, sends the headers at once, then trickles the correct body', async () => {
    const server = await faultOnce({ kind: 'slow', chunkBytes: 2, intervalMs: 40 });
    const reply = await post(server, { key: 'k1' });
    expect(reply.status).toBe(201);
    expect(JSON.parse(reply.body)).toEqual({ id: 'rec_1', items: 1 });
    // {"id":"rec_1","items":1} is 24 bytes: 12 chunks 40 ms apart.
    expect(reply.ms).toBeGreaterThanOrEqual(11 * 40 - 10);
    // The headers came first and most of the body after them (a buffered reply would bring both at the end). Relative
    // to the reply, not a fixed bound: the full suite on a loaded machine once took 142 ms to deliver the headers.
    expect(reply.ms - reply.headersMs).toBeGreaterThanOrEqual(8 * 40);
    expect(server.applied()).toHaveLength(1);
  });

  it('slow past the client timeout: the record was applied, the retry is a replay', async () => {
    const server = await faultOnce({ kind: 'slow', intervalMs: 100 });
    await expect(post(server, { key: 'k1', timeoutMs: 250 })).rejects.toThrow('client timeout');
    expect(server.applied()).toHaveLength(1);
    expect((await post(server, { key: 'k1' })).headers['idempotent-replayed']).toBe('true');
  });

  it('slow-read: reads the request body at the given rate', async () => {
    const server = await faultOnce({ kind: 'slow-read', bytesPerSecond: 100_000 });
    const body = `"${'x'.repeat(48_000)}"`;
    const reply = await post(server, { key: 'k1', body });
    expect(reply.status).toBe(201);
    expect(reply.ms).toBeGreaterThanOrEqual(450); // 48 KB at 100 KB/s
    expect(server.applied()[0]?.body.toString()).toBe(body);
    expect(server.stats().faults).toBe(1);
  });

  it('setFaults replaces the plan at run time', async () => {
    const server = await start();
    server.setFaults(() => ({ kind: 'status', status: 500 }));
    expect((await post(server, { key: 'k1' })).status).toBe(500);
    server.setFaults(undefined);
    expect((await post(server, { key: 'k1' })).status).toBe(201);
  });

  it('close() ends hanging and delayed requests at once', async () => {
    const server = await start({
      faults: ({ seq }) => (seq === 1 ? { kind: 'hang' } : { kind: 'delay', ms: 10_000 }),
    });
    const hung = post(server, { key: 'k1' });
    const delayed = post(server, { key: 'k2' });
    await sleep(100);
    const started = performance.now();
    await server.close();
    await expect(hung).rejects.toThrow();
    await expect(delayed).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
