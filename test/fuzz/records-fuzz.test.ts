// Fuzz: the folder record parsers (CSV, JSON array, NDJSON, XML) end every input, chunked anyhow, in records or located rejections.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseRecordBatches,
  recordEncodings,
  recordFormatSchema,
  type RecordEncoding,
  type RecordEvent,
  type RecordFormatInput,
} from '../../connectors/sources/folder/records/index.js';
import { fuzzParameters, hostileText } from './fuzz-budget.js';

const maxRecordBytes = 1024;

/** `bytes` in chunks of 1 to 97 bytes as `cuts` says, then the rest. */
function* chunksOf(bytes: Buffer, cuts: number[]): Generator<Uint8Array> {
  let at = 0;
  for (const cut of cuts) {
    const size = 1 + (cut % 97);
    yield bytes.subarray(at, at + size);
    at += size;
    if (at >= bytes.length) return;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

/** Parses `bytes` in the chunks `cuts` describes; throws if the parser throws, like the capture would see it. */
export async function parseAll(
  options: RecordFormatInput,
  bytes: Buffer,
  cuts: number[],
): Promise<RecordEvent[]> {
  const events: RecordEvent[] = [];
  for await (const batch of parseRecordBatches(
    Readable.from(chunksOf(bytes, cuts)),
    recordFormatSchema.parse(options),
  )) {
    events.push(...batch);
  }
  return events;
}

/** What every parse must give: events in order, each a record or a rejection with a reason and a bounded excerpt. */
function expectWellFormed(events: RecordEvent[], inputLength: number): void {
  expect(events.length).toBeLessThanOrEqual(inputLength + 1);
  events.forEach((event, position) => {
    if (event.kind === 'record') {
      expect(event.record.index).toBe(position);
      expect(typeof event.record.value).toBe('object');
      if (event.record.raw !== undefined) expect(event.record.raw.length).toBeLessThanOrEqual(maxRecordBytes);
    } else {
      expect(event.row.index).toBe(position);
      expect(event.row.reason.length).toBeGreaterThan(0);
      expect(event.row.excerpt.length).toBeLessThanOrEqual(200);
    }
  });
}

const encoding = fc.constantFrom<RecordEncoding>(...recordEncodings);
const cuts = fc.array(fc.nat(), { maxLength: 40 });
const asBytes = fc.oneof(
  hostileText(['a', '1', ',', ';', '"', "'", '\\', 'é', '€', ' ']).map((t) => Buffer.from(t)),
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
);

const csvOptions = fc.record({
  format: fc.constant('csv' as const),
  header: fc.oneof(fc.boolean(), fc.constant<string[]>(['id', 'name'])),
  delimiter: fc.constantFrom(',', ';', '\t', '||', 'ab'),
  quote: fc.constantFrom('"', "'", ''),
  skipEmptyLines: fc.boolean(),
  relaxColumnCount: fc.boolean(),
  keyColumn: fc.option(fc.constant('id'), { nil: undefined }),
  encoding,
  maxRecordBytes: fc.constant(maxRecordBytes),
});

const csvText = hostileText([
  'a',
  '1',
  ',',
  ';',
  '\t',
  '|',
  '"',
  "'",
  '\\',
  '\n',
  '\r\n',
  'id',
  'name',
  ' ',
  'é',
]);
const jsonText = hostileText([
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '"a"',
  '"',
  '\\',
  '1',
  '-',
  'e',
  'true',
  'null',
  ' ',
  '\n',
  '"\\u12',
]);
const xmlText = hostileText([
  '<',
  '>',
  '/',
  '<Export>',
  '</Export>',
  '<Row>',
  '</Row>',
  '<Row a="1">',
  '<x:Row>',
  '&amp;',
  '&',
  ';',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '<!DOCTYPE x [<!ENTITY e "v">]>',
  '&e;',
  'text',
  ' ',
  '"',
]);
const text = (inner: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: inner.map((t) => Buffer.from(t)) }, { weight: 1, arbitrary: asBytes });

describe('fuzz: folder record parsers', () => {
  it('CSV: any bytes, any dialect, any chunking ends in records or located rejections', async () => {
    await fc.assert(
      fc.asyncProperty(csvOptions, text(csvText), cuts, async (options, bytes, at) => {
        expectWellFormed(await parseAll(options, bytes, at), bytes.length);
      }),
      fuzzParameters(250),
    );
  });

  it('JSON array and NDJSON: any bytes end in records or located rejections', async () => {
    const format = fc.constantFrom('json-array' as const, 'ndjson' as const);
    await fc.assert(
      fc.asyncProperty(format, encoding, text(jsonText), cuts, async (f, enc, bytes, at) => {
        const options = { format: f, encoding: enc, maxRecordBytes, keyColumn: 'a' };
        expectWellFormed(await parseAll(options, bytes, at), bytes.length);
      }),
      fuzzParameters(300),
    );
  });

  it('XML: any bytes and record path end in records or located rejections', async () => {
    const recordPath = fc.constantFrom('Export/Row', 'Row', '*/Row', 'Export/*', '/Export/Row/x');
    await fc.assert(
      fc.asyncProperty(recordPath, encoding, text(xmlText), cuts, async (path, enc, bytes, at) => {
        const options = { format: 'xml' as const, recordPath: path, encoding: enc, maxRecordBytes };
        expectWellFormed(await parseAll(options, bytes, at), bytes.length);
      }),
      fuzzParameters(250),
    );
  });
});
