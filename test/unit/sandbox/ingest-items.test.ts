// Applied items: batches split into members (JSON array, NDJSON), in apply order, each with its request's key.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { splitItems } from '../../../main/sandbox/ingest-store.js';
import { useTempDir } from '../../support/temp-dir.js';
import { post, useIngestServers } from './ingest-fixture.js';

const start = useIngestServers();
const tempDir = useTempDir({ prefix: 'ingest-items-' });
const texts = (buffers: Buffer[]) => buffers.map((b) => b.toString('utf8'));

describe('splitItems', () => {
  it('splits a JSON array body into its elements, re-serialised', () => {
    expect(texts(splitItems('application/json', Buffer.from('[{"a": 1}, 2, "x"]')))).toEqual([
      '{"a":1}',
      '2',
      '"x"',
    ]);
    expect(texts(splitItems('application/vnd.api+json; charset=utf-8', Buffer.from('[1,2]')))).toEqual([
      '1',
      '2',
    ]);
  });

  it('splits NDJSON into its non-empty lines, CRLF or LF, trailing newline or not', () => {
    const body = Buffer.from('{"a":1}\r\n{"a":2}\n\n{"a":3}\n');
    expect(texts(splitItems('application/x-ndjson', body))).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
    expect(texts(splitItems('application/x-ndjson', Buffer.from('{"a":1}')))).toEqual(['{"a":1}']);
  });

  it('keeps anything else whole: a JSON object, invalid JSON, other media types', () => {
    expect(texts(splitItems('application/json', Buffer.from('{"a":[1,2]}')))).toEqual(['{"a":[1,2]}']);
    expect(texts(splitItems('application/json', Buffer.from('[1,')))).toEqual(['[1,']);
    expect(texts(splitItems('text/csv', Buffer.from('a\nb\n')))).toEqual(['a\nb\n']);
  });
});

describe('ingest server: applied items', () => {
  it('lists every member of every applied request in apply order with its key and position', async () => {
    const server = await start();
    await post(server, { key: 'batch-1', body: '[{"seq":1},{"seq":2}]' });
    await post(server, { key: 'single', body: '{"seq":3}' });
    await post(server, {
      key: 'batch-2',
      body: '{"seq":4}\n{"seq":5}\n',
      contentType: 'application/x-ndjson',
    });
    await post(server, { key: 'batch-1', body: '[{"seq":1},{"seq":2}]' }); // replay: no new items
    const items = server.appliedItems();
    expect(items.map((i) => [i.key, i.seq, i.index, i.body.toString()])).toEqual([
      ['batch-1', 1, 0, '{"seq":1}'],
      ['batch-1', 1, 1, '{"seq":2}'],
      ['single', 2, 0, '{"seq":3}'],
      ['batch-2', 3, 0, '{"seq":4}'],
      ['batch-2', 3, 1, '{"seq":5}'],
    ]);
    expect(server.applied().map((a) => a.key)).toEqual(['batch-1', 'single', 'batch-2']);
    expect(server.stats()).toMatchObject({ applied: 3, items: 5, duplicates: 1 });
  });

  it('tells a batch how many members it applied, also on replay', async () => {
    const server = await start();
    const first = await post(server, { key: 'b', body: '[1,2,3]' });
    const again = await post(server, { key: 'b', body: '[1,2,3]' });
    expect(JSON.parse(first.body)).toEqual({ id: 'rec_1', items: 3 });
    expect(JSON.parse(again.body)).toEqual({ id: 'rec_1', items: 3 });
  });
});

describe('ingest store written by an older sandbox', () => {
  it('gains the items column on open and keeps its keys', async () => {
    const storeFile = join(tempDir(), 'ingest.db');
    const old = new Database(storeFile);
    old.exec(`
      CREATE TABLE applied (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, path TEXT NOT NULL,
        content_type TEXT NOT NULL, body BLOB NOT NULL, applied_at INTEGER NOT NULL);
      CREATE TABLE idempotency_keys (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, seq INTEGER NOT NULL);
      INSERT INTO applied VALUES (1, 'old', '/ingest/sandbox', 'text/plain', X'6869', 1700000000000);
      INSERT INTO idempotency_keys VALUES ('old', 'fp', 1);`);
    old.close();
    const server = await start({ storeFile });
    await post(server, { key: 'new', body: '[1,2]' });
    expect(server.appliedItems().map((i) => [i.key, i.body.toString()])).toEqual([
      ['old', 'hi'],
      ['new', '1'],
      ['new', '2'],
    ]);
    expect((await post(server, { key: 'old', body: 'other' })).status).toBe(422);
    await server.close();
  });
});
