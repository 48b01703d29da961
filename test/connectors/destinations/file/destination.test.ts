// The file destination on real folders: atomic single files with their bytes and mode, NDJSON batches, resends, unsafe names, errors.
import { mkdirSync, symlinkSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutgoingRecord, OutgoingRequest } from '../../../../connectors/core/destination.js';
import {
  FileDestination,
  type FileDestinationOptions,
} from '../../../../connectors/destinations/file/destination.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'file-dest-' });

function record(id: number, payload: string, extra: Partial<OutgoingRecord> = {}): OutgoingRecord {
  return {
    id,
    idempotencyKey: `key-${id}`,
    businessKey: null,
    contentType: 'application/json',
    payload: Buffer.from(payload),
    attempts: 1,
    ...extra,
  };
}

const single = (r: OutgoingRecord): OutgoingRequest => ({ idempotencyKey: r.idempotencyKey, records: [r] });

function destination(folder: string, options: Partial<FileDestinationOptions> = {}): FileDestination {
  return new FileDestination({
    folder,
    fileName: '{{idempotencyKey}}.json',
    batch: { format: 'none', maxRecords: 500, maxBytes: 1024 * 1024, lingerMs: 0 },
    createFolder: false,
    mode: 0o640,
    ...options,
  });
}

describe('file destination', () => {
  it('writes a single record with its exact bytes and mode, and leaves no temporary file', async () => {
    const folder = tempDir();
    const payload = '{"order":1,"text":"grüße"}';
    const result = await destination(folder).send(single(record(7, payload)));
    expect(result).toMatchObject({
      kind: 'delivered',
      code: 'written',
      serverIds: { 7: 'key-7.json' },
      request: {
        operation: 'write',
        target: join(folder, 'key-7.json'),
        bytes: Buffer.byteLength(payload),
        records: 1,
      },
    });
    expect(readdirSync(folder)).toEqual(['key-7.json']);
    expect(readFileSync(join(folder, 'key-7.json'))).toEqual(Buffer.from(payload));
    expect(statSync(join(folder, 'key-7.json')).mode & 0o777).toBe(0o640);
  });

  it('applies the configured mode exactly, whatever the umask', async () => {
    const folder = tempDir();
    await destination(folder, { mode: 0o666 }).send(single(record(1, '{}')));
    expect(statSync(join(folder, 'key-1.json')).mode & 0o777).toBe(0o666);
  });

  it('writes a batch as one NDJSON file named from the batch key, in order, and rejects non-JSON records', async () => {
    const folder = tempDir();
    const d = destination(folder, {
      fileName: '{{idempotencyKey}}.ndjson',
      batch: { format: 'ndjson', maxRecords: 10, maxBytes: 1024 * 1024, lingerMs: 0 },
    });
    const records = [
      record(1, '{"n":1}'),
      record(2, 'not json', { contentType: 'text/plain' }),
      record(3, '{\n  "n": 3\n}'),
    ];
    const result = await d.send({ idempotencyKey: 'batch-3-abc', records });
    expect(result).toMatchObject({
      kind: 'delivered',
      code: 'written',
      serverIds: { 1: 'batch-3-abc.ndjson', 3: 'batch-3-abc.ndjson' },
      request: { records: 2 },
    });
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected?.[0]?.id).toBe(2);
    expect(result.rejected?.[0]?.error).toMatch(
      /not valid JSON .*ndjson batch files carry JSON records only/,
    );
    expect(readdirSync(folder)).toEqual(['batch-3-abc.ndjson']);
    expect(readFileSync(join(folder, 'batch-3-abc.ndjson'), 'utf8')).toBe('{"n":1}\n{"n":3}\n');
    expect(d.batching).toEqual({ maxRecords: 10, maxBytes: 1024 * 1024, lingerMs: 0 });
  });

  it('writes nothing when every record of a batch is rejected', async () => {
    const folder = tempDir();
    const d = destination(folder, {
      fileName: '{{idempotencyKey}}.ndjson',
      batch: { format: 'ndjson', maxRecords: 10, maxBytes: 1024 * 1024, lingerMs: 0 },
    });
    const result = await d.send({ idempotencyKey: 'batch-1-x', records: [record(1, 'plain')] });
    expect(result.kind).toBe('not-sent');
    expect(readdirSync(folder)).toEqual([]);
  });

  it('counts a resend with the same bytes as delivered, and refuses to overwrite different bytes', async () => {
    const folder = tempDir();
    const d = destination(folder);
    expect((await d.send(single(record(1, '{"v":1}')))).kind).toBe('delivered');

    const again = await d.send(single(record(1, '{"v":1}')));
    expect(again).toMatchObject({ kind: 'delivered', code: 'exists', serverIds: { 1: 'key-1.json' } });

    const other = await d.send(single(record(1, '{"v":2}')));
    expect(other).toMatchObject({ kind: 'dead', code: 'different-file-exists' });
    expect(other.kind === 'dead' && other.error).toContain('a different file key-1.json already exists in');
    expect(other.kind === 'dead' && other.error).toContain('refusing to overwrite');
    expect(readFileSync(join(folder, 'key-1.json'), 'utf8')).toBe('{"v":1}');
    expect(readdirSync(folder)).toEqual(['key-1.json']);
  });

  it('lets exactly one of two writers racing for one name win, and never overwrites', async () => {
    const folder = tempDir();
    const d = destination(folder);
    const results = await Promise.all([
      d.send(single(record(1, '{"writer":"a"}'))),
      d.send(single(record(1, '{"writer":"b"}'))),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['dead', 'delivered']);
    const winner = results[0]?.kind === 'delivered' ? 'a' : 'b';
    expect(readFileSync(join(folder, 'key-1.json'), 'utf8')).toBe(`{"writer":"${winner}"}`);
    expect(readdirSync(folder)).toEqual(['key-1.json']);
  });

  it.each([
    ['../x', /\{\{record\.name\}\} is "\.\.\/x" for this record, which contains a path separator/],
    ['a/b', /\{\{record\.name\}\} is "a\/b" for this record, which contains a path separator/],
    ['..', /\{\{record\.name\}\} is "\.\." for this record, which contains "\.\."/],
    ['', /the file name needs \{\{record\.name\}\}, but this record has no value for it/],
  ])('dead-letters a record whose name renders unsafe (%j), naming the field', async (name, reason) => {
    const base = tempDir();
    const folder = join(base, 'drop');
    mkdirSync(folder);
    const d = destination(folder, { fileName: '{{record.name}}' });
    const result = await d.send(single(record(1, JSON.stringify({ name }))));
    expect(result).toMatchObject({ kind: 'dead', code: 'unsafe-name' });
    expect(result.kind === 'dead' && result.error).toMatch(reason);
    expect(readdirSync(folder)).toEqual([]);
    expect(readdirSync(base)).toEqual(['drop']);
  });

  it('dead-letters when the folder is a file (ENOTDIR), with a fix', async () => {
    const folder = join(tempDir(), 'not-a-folder');
    writeFileSync(folder, 'x');
    const result = await destination(folder).send(single(record(1, '{}')));
    expect(result).toMatchObject({ kind: 'dead', code: 'ENOTDIR' });
    expect(result.kind === 'dead' && result.error).toBe(
      `${folder} (or a folder on its path) is not a folder; point folder at a directory, then replay`,
    );
  });

  it('dead-letters when the target name is taken by a folder (EISDIR)', async () => {
    const folder = tempDir();
    mkdirSync(join(folder, 'key-1.json'));
    const result = await destination(folder).send(single(record(1, '{}')));
    expect(result).toMatchObject({ kind: 'dead', code: 'EISDIR' });
  });

  it('refuses to write through a symbolic link that holds the name', async () => {
    const folder = tempDir();
    writeFileSync(join(folder, 'elsewhere'), '{}');
    symlinkSync(join(folder, 'elsewhere'), join(folder, 'key-1.json'));
    const result = await destination(folder).send(single(record(1, '{}')));
    expect(result).toMatchObject({ kind: 'dead', code: 'different-file-exists' });
  });

  it('retries a missing folder (a share not mounted) and creates it only when createFolder is set', async () => {
    const folder = join(tempDir(), 'share', 'drop');
    const missing = await destination(folder).send(single(record(1, '{}')));
    expect(missing).toMatchObject({ kind: 'retry', code: 'ENOENT', signal: 'failure' });
    expect(missing.kind === 'retry' && missing.error).toContain('set createFolder: true');

    const created = await destination(folder, { createFolder: true }).send(single(record(1, '{}')));
    expect(created).toMatchObject({ kind: 'delivered', code: 'written' });
    expect(readdirSync(folder)).toEqual(['key-1.json']);
  });

  it('fills {{businessKey}}, {{date}} and {{record.<field>}}', async () => {
    const folder = tempDir();
    const d = destination(folder, {
      fileName: '{{date}}_{{businessKey}}_{{record.order.id}}.json',
      now: () => new Date('2026-03-04T23:59:00Z'),
    });
    const result = await d.send(single(record(1, '{"order":{"id":42}}', { businessKey: 'inv-9' })));
    expect(result).toMatchObject({ kind: 'delivered', serverIds: { 1: '2026-03-04_inv-9_42.json' } });
    expect(readdirSync(folder)).toEqual(['2026-03-04_inv-9_42.json']);
  });

  it('describes itself without secrets', () => {
    const d = destination('/srv/drop');
    expect(d.label).toBe('files into /srv/drop');
    expect(d.describe()).toEqual({ folder: '/srv/drop', batch: 'none' });
    expect(d.batching).toBeUndefined();
  });
});
