// The wizard's records preview through the real handlers: real files in a real folder, the capture parsers, the bounds.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentBackend } from '../../main/api/agent-backend.js';
import { createAgentHandlers } from '../../main/api/agent-handlers.js';
import { createRecordsPreview } from '../../main/api/records-preview.js';
import type { RecordsPreview } from '../../preload/contract/records-preview.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'records-preview-' });
const handlers = createAgentHandlers(createRecordsPreview() as unknown as AgentBackend, {
  validateResults: true,
});
const admin = { role: 'admin' as const };

const preview = (args: Record<string, unknown>) =>
  handlers.call('previewRecords', args, admin) as Promise<RecordsPreview>;
const refusal = (args: Record<string, unknown>, session: { role: 'admin' | 'viewer' } = admin) =>
  handlers.call('previewRecords', args, session).then(
    () => 'accepted',
    (error: { code: string; message: string }) => `${error.code}: ${error.message}`,
  );

function folder(files: Record<string, string | Buffer>): string {
  const dir = join(tempDir(), 'inbox');
  mkdirSync(dir, { recursive: true });
  let age = Object.keys(files).length;
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    const at = new Date(Date.now() - 60_000 * age--); // later entries are newer
    utimesSync(path, at, at);
  }
  return dir;
}

const csvSource = (path: string, records: Record<string, unknown> = {}) => ({
  type: 'folder',
  path,
  include: ['**/*.csv'],
  records: { format: 'csv', delimiter: ';', ...records },
});

describe('records preview', () => {
  it('reads the newest matching file as capture would: columns, the first rows, counts, rejected rows with their line', async () => {
    const dir = folder({
      'old.csv': 'id;amount\nOLD-1;1\n',
      'notes.txt': 'not picked up',
      'invoices.csv': 'id;customer;amount\nA-1;Müller;10\nA-2;Schmidt\nA-3;Meier;30\nA-4;Koch;40\n',
    });
    const result = await preview({ source: csvSource(dir), limit: 2 });
    expect(result.file).toBe(join(dir, 'invoices.csv'));
    expect(result.input).toMatch(/^invoices\.csv \(\d+ B\)$/);
    expect(result.files).toEqual([join(dir, 'invoices.csv'), join(dir, 'old.csv')]);
    expect(result.columns).toEqual(['id', 'customer', 'amount']);
    expect(result.records).toEqual([
      { line: 2, value: { id: 'A-1', customer: 'Müller', amount: '10' } },
      { line: 4, value: { id: 'A-3', customer: 'Meier', amount: '30' } },
    ]);
    expect(result.counts).toEqual({ records: 3, rejected: 1 });
    expect(result.rejected).toEqual([
      { line: 3, reason: expect.stringMatching(/2 fields.*3/), excerpt: 'A-2;Schmidt' },
    ]);
    expect(result.partial).toBeUndefined();
    expect(result.problem).toBeUndefined();

    const other = await preview({ source: csvSource(dir), file: join(dir, 'old.csv') });
    expect(other.records).toEqual([{ line: 2, value: { id: 'OLD-1', amount: '1' } }]);
    // Only files the source picks up can be read through the preview.
    const outside = await preview({ source: csvSource(dir), file: join(dir, 'notes.txt') });
    expect(outside.problem).toMatch(
      /notes\.txt is not a file this source picks up.*choose one of the listed/,
    );
    expect(outside.records).toEqual([]);
  });

  it('uses the format options: no header numbers the fields, windows-1252 decodes, XML names line and column', async () => {
    const dir = folder({ 'a.csv': Buffer.from('K\xf6ln;1\nBonn;2\n', 'latin1') });
    const plain = await preview({
      source: csvSource(dir, { header: false, encoding: 'windows-1252' }),
    });
    expect(plain.columns).toEqual(['1', '2']);
    expect(plain.records.map((r) => r.value)).toEqual([
      ['Köln', '1'],
      ['Bonn', '2'],
    ]);

    const xmlDir = folder({
      'export.xml':
        '<Export>\n<Invoice no="1"><Total>5</Total></Invoice>\n<Invoice no="2"><Total>6</Total>\n</Export>\n',
    });
    const xml = await preview({
      source: {
        type: 'folder',
        path: xmlDir,
        include: ['*.xml'],
        records: { format: 'xml', recordPath: 'Export/Invoice' },
      },
    });
    expect(xml.records).toEqual([{ line: 2, value: { '@no': '1', Total: '5' } }]);
    expect(xml.counts.rejected).toBe(1);
    expect(xml.rejected[0]?.reason).toMatch(/not well-formed on line 4, column \d+/);
  });

  it('parses a pasted sample with the same parsers, and says what is wrong with a broken one', async () => {
    const dir = folder({});
    const ndjson = { type: 'folder', path: dir, records: { format: 'ndjson' } };
    const good = await preview({ source: ndjson, sample: '{"a":1}\n{"a":2,"b":[1,2]}\n' });
    expect(good.input).toBe('the pasted sample');
    expect(good.file).toBeUndefined();
    expect(good.columns).toEqual(['a', 'b']);
    expect(good.counts).toEqual({ records: 2, rejected: 0 });

    const broken = await preview({
      source: { ...ndjson, records: { format: 'json-array' } },
      sample: '[{"a":1},\n{"a":}\n]',
    });
    expect(broken.counts).toEqual({ records: 1, rejected: 1 });
    expect(broken.rejected[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/not valid JSON/) });
  });

  it('reads a large file only up to its bound, without a false "truncated" row at the cut', async () => {
    const row = 'ID-0000000;some customer name;123.45\n';
    const dir = folder({ 'big.csv': 'id;customer;amount\n' + row.repeat(60_000) }); // ~2.2 MB
    const result = await preview({ source: csvSource(dir) });
    expect(result.partial).toMatch(/^the first 1\.0 MB of 2\.\d MB$/);
    expect(result.counts.rejected).toBe(0);
    expect(result.counts.records).toBeGreaterThan(20_000);
    expect(result.counts.records).toBeLessThan(60_000);
    expect(result.records).toHaveLength(5);
  });

  it('explains what cannot be previewed, and refuses bad arguments and viewers', async () => {
    const dir = folder({ 'a.json': '[]' });
    expect((await preview({ source: csvSource(dir) })).problem).toMatch(
      /^no file in .*inbox matches \*\*\/\*\.csv yet: drop a sample export into the folder, or paste a sample$/,
    );
    expect((await preview({ source: csvSource(join(dir, 'missing')) })).problem).toMatch(
      /the folder .*missing does not exist: create it or correct the path/,
    );
    expect((await preview({ source: { type: 'folder', path: dir } })).problem).toMatch(
      /captures whole files: choose a records format/,
    );
    expect(await refusal({ source: { type: 'folder', records: { format: 'csv' } } })).toMatch(
      /^invalid-argument: source\.path: is required/,
    );
    expect(await refusal({ source: { type: 'sqlite', path: dir } })).toMatch(
      /^invalid-argument: a records preview is not available for sqlite sources/,
    );
    expect(await refusal({ source: csvSource(dir), limit: 21 })).toMatch(/^invalid-argument/);
    expect(await refusal({ source: csvSource(dir) }, { role: 'viewer' })).toMatch(
      /^forbidden: previewRecords shows file contents and needs the admin role/,
    );
  });
});
