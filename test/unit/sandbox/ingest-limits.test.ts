// The ingest server's body size limit: 413 problem+json with a fix, by Content-Length or while streaming; nothing applied.
import { describe, expect, it } from 'vitest';
import { post, useIngestServers } from './ingest-fixture.js';

const start = useIngestServers();

describe('ingest server: body size limit', () => {
  it('answers 413 with a problem+json detail to a declared Content-Length over the limit', async () => {
    const server = await start({ maxBodyBytes: 1024 });
    const reply = await post(server, { key: 'k1', body: 'x'.repeat(2048) });
    expect(reply.status).toBe(413);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    const detail = JSON.parse(reply.body) as { status: number; title: string; detail: string };
    expect(detail).toMatchObject({ status: 413, title: 'Payload too large' });
    expect(detail.detail).toContain('up to 1024 bytes');
    expect(detail.detail).toContain('batch.maxBytes');
    expect(server.applied()).toHaveLength(0);
    expect(server.stats().tooLarge).toBe(1);
  });

  it('answers 413 to a chunked body that grows over the limit', async () => {
    const server = await start({ maxBodyBytes: 1024 });
    const reply = await post(server, { key: 'k1', body: 'x'.repeat(4096), chunked: true });
    expect(reply.status).toBe(413);
    expect(server.applied()).toHaveLength(0);
  });

  it('accepts a body of exactly the limit', async () => {
    const server = await start({ maxBodyBytes: 1024 });
    const reply = await post(server, { key: 'k1', body: 'x'.repeat(1024), contentType: 'text/plain' });
    expect(reply.status).toBe(201);
  });

  it('answers 413 to a big body over a big limit without stalling the client', async () => {
    const server = await start({ maxBodyBytes: 1024 * 1024 });
    const reply = await post(server, { key: 'k1', body: Buffer.alloc(8 * 1024 * 1024, 120) });
    expect(reply.status).toBe(413);
  });
});
