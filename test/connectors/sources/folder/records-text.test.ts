// Records mode, text decoding: encodings, byte order marks, chunk boundaries, binary junk and undecodable bytes.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  excerptOf,
  parseRecords,
  recordFormatSchema,
  type RecordEvent,
  type RecordFormatInput,
} from '../../../../connectors/sources/folder/records/index.js';

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

async function parse(
  bytes: Buffer,
  options: RecordFormatInput,
  chunkBytes = 1 << 16,
): Promise<RecordEvent[]> {
  const events: RecordEvent[] = [];
  const input = Readable.from(chunksOf(bytes, chunkBytes));
  for await (const event of parseRecords(input, recordFormatSchema.parse(options))) events.push(event);
  return events;
}

const values = (events: RecordEvent[]) =>
  events.map((e) => (e.kind === 'record' ? e.record.value : e.row.reason));
const csv = (encoding?: 'utf-8' | 'windows-1252' | 'latin1' | 'utf-16le') =>
  ({ format: 'csv', ...(encoding ? { encoding } : {}) }) as const;
const bom = Buffer.from([0xef, 0xbb, 0xbf]);

/** ASCII filler rows that push the interesting bytes past the decoder's first 4 KiB, into chunked territory. */
const filler = (rows: number) => Array.from({ length: rows }, (_, i) => `${i},filler`).join('\n') + '\n';

describe('encodings', () => {
  it('strips a UTF-8 byte order mark, so the first column is not named "\\uFEFFid"', async () => {
    const events = await parse(Buffer.concat([bom, Buffer.from('id,name\n1,Zoë\n')]), csv());
    expect(values(events)).toEqual([{ id: '1', name: 'Zoë' }]);
  });

  it('decodes Windows-1252: € é ü from single bytes 0x80 0xE9 0xFC', async () => {
    const bytes = Buffer.concat([
      Buffer.from('id,name\n1,'),
      Buffer.from([0x80, 0xe9, 0xfc]),
      Buffer.from('\n'),
    ]);
    expect(values(await parse(bytes, csv('windows-1252')))).toEqual([{ id: '1', name: '€éü' }]);
  });

  it('decodes Windows-1252 correctly past the first chunk too (Node’s one-shot decoder gets 0x80 wrong)', async () => {
    const tail = Buffer.concat([Buffer.from('9999,'), Buffer.from([0x80, 0x9f, 0xe9]), Buffer.from('\n')]);
    const bytes = Buffer.concat([Buffer.from(`id,name\n${filler(600)}`), tail]);
    const events = await parse(bytes, csv('windows-1252'), 1000);
    expect(values(events).at(-1)).toEqual({ id: '9999', name: '€Ÿé' });
  });

  it('decodes latin1 (é ü ß), with 0x80–0x9F as in windows-1252 per the WHATWG Encoding Standard', async () => {
    const bytes = Buffer.concat([
      Buffer.from('a\n'),
      Buffer.from([0xe9, 0xfc, 0xdf, 0x80]),
      Buffer.from('\n'),
    ]);
    expect(values(await parse(bytes, csv('latin1')))).toEqual([{ a: 'éüß€' }]);
  });

  it('decodes UTF-16LE with and without a byte order mark, surrogate pairs split across chunks included', async () => {
    const text = `id,name\n${filler(300)}1,Zoë 😀 €\n`;
    const plain = Buffer.from(text, 'utf16le');
    const withBom = Buffer.concat([Buffer.from([0xff, 0xfe]), plain]);
    for (const bytes of [plain, withBom]) {
      const events = await parse(bytes, csv('utf-16le'), 333);
      expect(events).toHaveLength(301);
      expect(values(events).at(-1)).toEqual({ id: '1', name: 'Zoë 😀 €' });
    }
  });

  it('keeps UTF-8 characters whole when a chunk boundary splits their bytes', async () => {
    const bytes = Buffer.from(`id,name\n${filler(600)}1,€😀ü\n`);
    for (const size of [1, 2, 3, 5]) {
      expect(values(await parse(bytes, csv(), size)).at(-1)).toEqual({ id: '1', name: '€😀ü' });
    }
  });

  it('lets a byte order mark decide over the configured encoding', async () => {
    const utf8 = Buffer.concat([bom, Buffer.from('a\n€\n')]);
    expect(values(await parse(utf8, csv('windows-1252')))).toEqual([{ a: '€' }]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\n€\n', 'utf16le')]);
    expect(values(await parse(utf16, csv('utf-8')))).toEqual([{ a: '€' }]);
  });

  it('keeps a genuine U+FFFD in valid UTF-8', async () => {
    expect(values(await parse(Buffer.from('a\nx\uFFFDy\n'), csv()))).toEqual([{ a: 'x\uFFFDy' }]);
  });
});

describe('binary junk and undecodable bytes', () => {
  it('refuses a binary file with one clear rejection and nothing else', async () => {
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n'),
      Buffer.from([0, 1, 2, 0xff, 0]),
      Buffer.alloc(9000, 7),
    ]);
    const events = await parse(pdf, csv());
    expect(events).toEqual([
      {
        kind: 'rejected',
        row: {
          index: 0,
          line: 0,
          reason: expect.stringMatching(
            /^the file looks binary \(NUL bytes in its first 4096 bytes\), not utf-8 text/,
          ),
          excerpt: '',
        },
      },
    ]);
  });

  it('names utf-16le as the likely fix for UTF-16 text read as UTF-8', async () => {
    const events = await parse(Buffer.from('a,b\n1,2\n', 'utf16le'), csv());
    expect(values(events)).toEqual([
      expect.stringContaining('if it is UTF-16 text, set records.encoding to "utf-16le"'),
    ]);
  });

  it('rejects rows with bytes that are not valid UTF-8, suggesting windows-1252, and keeps the others', async () => {
    const latin = (text: string) => Buffer.from(text, 'latin1');
    const bytes = Buffer.concat([
      Buffer.from('id,name\n1,ok\n'),
      latin('2,\xe9t\xe9\n'),
      Buffer.from('3,fine\n'),
    ]);
    const events = await parse(bytes, csv());
    expect(events.map((e) => e.kind)).toEqual(['record', 'rejected', 'record']);
    const rejected = events[1]?.kind === 'rejected' ? events[1].row : undefined;
    expect(rejected?.line).toBe(3);
    expect(rejected?.reason).toContain('contains bytes that are not valid utf-8');
    expect(rejected?.reason).toContain('set records.encoding to "windows-1252"');
  });

  it('rejects a row holding NUL bytes later in the file, with the NUL escaped in the excerpt', async () => {
    const bytes = Buffer.from(`id,name\n${filler(600)}1,bad\u0000row\n2,good\n`);
    const events = await parse(bytes, csv(), 4096);
    const tail = events.slice(-2);
    expect(tail[0]).toEqual({
      kind: 'rejected',
      row: {
        index: 600,
        line: 602,
        reason: 'row contains NUL bytes: binary data, not text',
        excerpt: '1,bad\\x00row',
        raw: '1,bad\u0000row',
      },
    });
    expect(tail[1]?.kind === 'record' && tail[1].record.value).toEqual({ id: '2', name: 'good' });
  });

  it('keeps excerpts printable and at most 200 characters, escapes included', () => {
    expect(excerptOf('a\u0000b\u0007c\td\r\ne')).toBe('a\\x00b\\x07c\td\r\ne');
    const junk = excerptOf('\u0000'.repeat(300));
    expect(junk).toHaveLength(200);
    expect(junk.endsWith('…')).toBe(true);
    expect(excerptOf('x'.repeat(200))).toBe('x'.repeat(200));
    expect(excerptOf('x'.repeat(201))).toBe(`${'x'.repeat(199)}…`);
  });

  it('refuses text chunks: the input must be bytes', async () => {
    const input = Readable.from(['a\n1\n']);
    const run = async () => {
      for await (const event of parseRecords(input, recordFormatSchema.parse(csv()))) void event;
    };
    await expect(run()).rejects.toThrow('records input must yield bytes, not strings');
  });
});
