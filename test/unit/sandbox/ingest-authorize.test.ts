// The ingest server's authorize hook: a refused request gets a Bearer challenge (401) and is never applied.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { post, useIngestServers } from './ingest-fixture.js';

const start = useIngestServers();
const goodToken = 'Bearer good-token';

describe('ingest server: authorize', () => {
  it('answers 401 invalid_token to a refused token, applies nothing, and counts it', async () => {
    const server = await start({ authorize: (authorization) => authorization === goodToken });
    const reply = await post(server, { key: 'k1', headers: { authorization: 'Bearer stale-token' } });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toMatch(/^Bearer realm="ingest", error="invalid_token"/);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(reply.body)).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(server.applied()).toHaveLength(0);
    expect(server.stats()).toMatchObject({ requests: 1, applied: 0, unauthorized: 1 });
  });

  it('challenges a request without credentials without an error code (RFC 6750 §3.1)', async () => {
    const server = await start({ authorize: (authorization) => authorization === goodToken });
    const reply = await post(server, { key: 'k1' });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="ingest"');
    expect(server.stats().unauthorized).toBe(1);
  });

  it('applies an authorised request, and the same key later with a good token is applied once', async () => {
    const seen: (string | undefined)[] = [];
    const server = await start({
      authorize: async (authorization, req: IncomingMessage) => {
        seen.push(authorization);
        await Promise.resolve();
        return authorization === goodToken && req.url === '/ingest/test';
      },
    });
    expect((await post(server, { key: 'k1', headers: { authorization: 'Bearer old' } })).status).toBe(401);
    const first = await post(server, { key: 'k1', headers: { authorization: goodToken } });
    const again = await post(server, { key: 'k1', headers: { authorization: goodToken } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(server.applied()).toHaveLength(1);
    expect(seen).toEqual(['Bearer old', goodToken, goodToken]);
    expect(server.stats()).toMatchObject({ requests: 3, applied: 1, duplicates: 1, unauthorized: 1 });
  });

  it('does not reveal a stored response to an unauthorised repeat of a known key', async () => {
    let allow = true;
    const server = await start({ authorize: () => allow });
    expect((await post(server, { key: 'k1' })).status).toBe(201);
    allow = false;
    const reply = await post(server, { key: 'k1' });
    expect(reply.status).toBe(401);
    expect(reply.headers['idempotent-replayed']).toBeUndefined();
    expect(server.stats().duplicates).toBe(0);
  });

  it('answers 500 and applies nothing when authorize throws', async () => {
    const server = await start({
      authorize: () => {
        throw new Error('token introspection endpoint unreachable');
      },
    });
    const reply = await post(server, { key: 'k1' });
    expect(reply.status).toBe(500);
    expect(reply.body).toContain('token introspection endpoint unreachable');
    expect(server.applied()).toHaveLength(0);
  });
});
