// The ingest server's Idempotency-Key semantics: apply once, replay the stored answer, 422 on a changed payload, 409 in flight.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp-dir.js';
import { post, sleep, useIngestServers } from './ingest-fixture.js';

const start = useIngestServers();
const tempDir = useTempDir({ prefix: 'ingest-' });

describe('ingest server: Idempotency-Key', () => {
  it('applies the first request and answers 201 with an id and a Location', async () => {
    const server = await start();
    const reply = await post(server, { key: 'k1', body: '{"n":1}' });
    expect(reply.status).toBe(201);
    expect(JSON.parse(reply.body)).toEqual({ id: 'rec_1', items: 1 });
    expect(reply.headers.location).toBe('/records/1');
    expect(reply.headers['idempotent-replayed']).toBeUndefined();
    const [applied] = server.applied();
    expect(applied).toMatchObject({
      seq: 1,
      key: 'k1',
      path: '/ingest/test',
      contentType: 'application/json',
    });
    expect(applied?.body.toString()).toBe('{"n":1}');
  });

  it('answers a repeat with the stored response, marked Idempotent-Replayed, without applying again', async () => {
    const server = await start();
    const first = await post(server, { key: 'k1' });
    const repeat = await post(server, { key: 'k1' });
    expect(repeat.status).toBe(first.status);
    expect(repeat.body).toBe(first.body);
    expect(repeat.headers.location).toBe(first.headers.location);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(server.applied()).toHaveLength(1);
    expect(server.stats()).toMatchObject({ requests: 2, applied: 1, items: 1, duplicates: 1 });
  });

  it('refuses the same key with a different payload or path with 422 and keeps the first', async () => {
    const server = await start();
    await post(server, { key: 'k1', body: '{"n":1}' });
    const changed = await post(server, { key: 'k1', body: '{"n":2}' });
    const otherPath = await post(server, { key: 'k1', body: '{"n":1}', path: '/ingest/other' });
    for (const reply of [changed, otherPath]) {
      expect(reply.status).toBe(422);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(reply.body)).toMatchObject({ status: 422, title: 'Idempotency-Key reused' });
    }
    expect(server.applied().map((a) => a.body.toString())).toEqual(['{"n":1}']);
    expect(server.stats()).toMatchObject({ applied: 1, conflicts: 2, duplicates: 0 });
  });

  it('answers 409 to the same key while the first request is still in progress, then replays', async () => {
    const server = await start({ faults: ({ seq }) => (seq === 1 ? { kind: 'delay', ms: 300 } : undefined) });
    const slow = post(server, { key: 'k1' });
    await sleep(100);
    const during = await post(server, { key: 'k1' });
    expect(during.status).toBe(409);
    expect(JSON.parse(during.body)).toMatchObject({ title: 'Request in progress' });
    expect((await slow).status).toBe(201);
    const after = await post(server, { key: 'k1' });
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(server.stats()).toMatchObject({ applied: 1, inProgress: 1, duplicates: 1 });
  });

  it('does not hold other keys while one is in progress', async () => {
    const server = await start({
      faults: ({ key }) => (key === 'slow' ? { kind: 'delay', ms: 300 } : undefined),
    });
    const slow = post(server, { key: 'slow' });
    await sleep(50);
    const other = await post(server, { key: 'fast' });
    expect(other.status).toBe(201);
    await slow;
    // Applied first although it came second: it did not wait for the slow key (no clock bound needed).
    expect(server.applied().map((a) => a.key)).toEqual(['fast', 'slow']);
  });

  it('refuses a request without Idempotency-Key with 400 and applies nothing', async () => {
    const server = await start();
    const reply = await post(server, {});
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ detail: 'Send an Idempotency-Key header.' });
    expect(server.applied()).toHaveLength(0);
  });

  it('remembers keys across a restart when it has a store file', async () => {
    const storeFile = join(tempDir(), 'ingest.db');
    const first = await start({ storeFile });
    await post(first, { key: 'k1' });
    await first.close();
    const second = await start({ storeFile });
    const repeat = await post(second, { key: 'k1' });
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(second.applied()).toHaveLength(1);
    await second.close(); // before the temp dir goes; closing twice is harmless
  });
});
