// Records mode, JSON array and NDJSON: element by element, bad elements rejected, a broken array reported once.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  parseRecordBatches,
  parseRecords,
  recordFormatSchema,
  type RecordEvent,
} from '../../../../connectors/sources/folder/records/index.js';

async function parse(
  text: string,
  format: 'json-array' | 'ndjson',
  extra: { maxRecordBytes?: number } = {},
  chunkBytes = 1 << 16,
): Promise<RecordEvent[]> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  const events: RecordEvent[] = [];
  for await (const event of parseRecords(
    Readable.from(chunks),
    recordFormatSchema.parse({ format, ...extra }),
  )) {
    events.push(event);
  }
  return events;
}

function summary(events: RecordEvent[]): unknown[] {
  return events.map((e) =>
    e.kind === 'record'
      ? [e.record.index, e.record.line, e.record.value]
      : [e.row.index, e.row.line, 'rejected', e.row.reason],
  );
}

describe('JSON array', () => {
  it('yields each element with the line it starts on and its source text', async () => {
    const events = await parse(
      '[\n  {"id": 1, "name": "Alice"},\n  {"id": 2,\n   "name": "Bob"}\n]\n',
      'json-array',
    );
    expect(events).toEqual([
      {
        kind: 'record',
        record: { index: 0, line: 2, value: { id: 1, name: 'Alice' }, raw: '{"id": 1, "name": "Alice"}' },
      },
      {
        kind: 'record',
        record: { index: 1, line: 3, value: { id: 2, name: 'Bob' }, raw: '{"id": 2,\n   "name": "Bob"}' },
      },
    ]);
  });

  it('is not fooled by brackets, commas, quotes and line breaks inside strings and nested values', async () => {
    const element = { s: 'a],[b}{"c\\', nested: { list: [1, [2, { x: ',' }]], empty: {} }, u: '\u00e9\n' };
    const text = `[${JSON.stringify(element)},${JSON.stringify({ n: 2 })}]`;
    expect(summary(await parse(text, 'json-array'))).toEqual([
      [0, 1, element],
      [1, 1, { n: 2 }],
    ]);
  });

  it('rejects elements that are not objects or not valid JSON, and reads on', async () => {
    const text = '[\n{"a":1},\n42,\n"text",\nnull,\n[1,2],\n{"a": tru},\n{"a":2}\n]';
    expect(summary(await parse(text, 'json-array'))).toEqual([
      [0, 2, { a: 1 }],
      [1, 3, 'rejected', 'element is a number, not a JSON object'],
      [2, 4, 'rejected', 'element is a string, not a JSON object'],
      [3, 5, 'rejected', 'element is null, not a JSON object'],
      [4, 6, 'rejected', 'element is an array, not a JSON object'],
      [5, 7, 'rejected', expect.stringMatching(/^element is not valid JSON: /)],
      [6, 8, { a: 2 }],
    ]);
  });

  it('yields nothing for an empty array or an empty file', async () => {
    expect(await parse('[]', 'json-array')).toEqual([]);
    expect(await parse(' \n [ \n ] \n', 'json-array')).toEqual([]);
    expect(await parse('', 'json-array')).toEqual([]);
  });

  it.each([
    ['{"a":1}', 1, 'the file holds a JSON object, not an array', 0],
    ['x[1]', 1, `the file does not start with a JSON array ('[') but with "x"`, 0],
    ['[\n{"a":1}\n] {"b":2}', 3, `unexpected "{" on line 3 after the array's closing ']'`, 1],
    ['[\n{"a":1},\n{"a":2', 3, 'the file ends inside the element that starts on line 3 (truncated?)', 1],
    ['[\n{"a":1},\n', 3, "the file ends before the array's closing ']' (truncated?)", 1],
    ['[\n{"a":1}},{"a":2}]', 2, "unexpected '}' on line 2: the element that starts on line 2 closes more", 0],
    ['[\n{"a":1},\n]', 3, "trailing comma before the closing ']' on line 3", 1],
    ['[\n,{"a":1}]', 2, "expected an element before ',' on line 2", 0],
  ])('reports a broken array once and stops: %j', async (text, line, reason, before) => {
    const events = await parse(text, 'json-array');
    expect(events).toHaveLength(before + 1);
    const last = events.at(-1);
    expect(last?.kind).toBe('rejected');
    if (last?.kind !== 'rejected') return;
    expect(last.row.line).toBe(line);
    expect(last.row.index).toBe(before);
    expect(last.row.reason).toContain(reason);
    expect(last.row.reason).toContain('stopped reading this file');
  });

  it('rejects an element larger than maxRecordBytes without holding it, and reads the next one', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(200_000), inner: ['],'] });
    const text = `[{"a":1},\n${big},\n{"a":2}]`;
    const events = await parse(text, 'json-array', { maxRecordBytes: 4096 }, 1000);
    expect(summary(events)).toEqual([
      [0, 1, { a: 1 }],
      [1, 2, 'rejected', expect.stringContaining('element is larger than maxRecordBytes (4096 characters)')],
      [2, 3, { a: 2 }],
    ]);
  });

  it('streams a large generated array element by element, the same however it is chunked', async () => {
    const count = 20_000;
    const elements = Array.from({ length: count }, (_, i) =>
      JSON.stringify({ id: i, name: `n${i}`, tags: ['a', '{'] }),
    );
    const text = `[\n${elements.join(',\n')}\n]\n`;
    const bytes = Buffer.from(text);
    expect(bytes.length).toBeGreaterThan(800_000);
    let seen = 0;
    let batches = 0;
    const input = Readable.from([bytes.subarray(0, 500_000), bytes.subarray(500_000)]);
    for await (const batch of parseRecordBatches(input, recordFormatSchema.parse({ format: 'json-array' }))) {
      batches++;
      for (const event of batch) {
        expect(event.kind === 'record' && event.record.index === seen && event.record.line === seen + 2).toBe(
          true,
        );
        seen++;
      }
    }
    expect(seen).toBe(count);
    expect(batches).toBeGreaterThan(10); // handed on in small batches, not at the end
  });
});

describe('NDJSON', () => {
  it('yields one record per line; blank lines are skipped and use up no record number', async () => {
    const events = await parse('{"a":1}\r\n\n  \n{"a":2}\n{"a":3}', 'ndjson');
    expect(summary(events)).toEqual([
      [0, 1, { a: 1 }],
      [1, 4, { a: 2 }],
      [2, 5, { a: 3 }],
    ]);
    expect(events[0]?.kind === 'record' && events[0].record.raw).toBe('{"a":1}');
  });

  it('rejects a line that is not JSON or not an object, with its line, and reads on', async () => {
    expect(summary(await parse('{"a":1}\n{"a":\n[1,2]\n7\n{"a":2}\n', 'ndjson'))).toEqual([
      [0, 1, { a: 1 }],
      [1, 2, 'rejected', expect.stringMatching(/^line is not valid JSON: /)],
      [2, 3, 'rejected', 'line is an array, not a JSON object'],
      [3, 4, 'rejected', 'line is a number, not a JSON object'],
      [4, 5, { a: 2 }],
    ]);
  });

  it('rejects a line longer than maxRecordBytes and reads the next one', async () => {
    const text = `{"a":1}\n{"blob":"${'x'.repeat(10_000)}"}\n{"a":2}\n`;
    expect(summary(await parse(text, 'ndjson', { maxRecordBytes: 1024 }, 500))).toEqual([
      [0, 1, { a: 1 }],
      [1, 2, 'rejected', expect.stringContaining('line is longer than maxRecordBytes (1024 characters)')],
      [2, 3, { a: 2 }],
    ]);
  });

  it('gives the same events however the bytes are split', async () => {
    const lines = Array.from({ length: 500 }, (_, i) =>
      i % 50 === 7 ? '{bad' : JSON.stringify({ i, s: 'é€' }),
    );
    const text = lines.join('\n');
    const whole = summary(await parse(text, 'ndjson'));
    expect(whole.filter((e) => (e as unknown[])[2] === 'rejected')).toHaveLength(10);
    for (const size of [1, 3, 7, 4096]) expect(summary(await parse(text, 'ndjson', {}, size))).toEqual(whole);
  });
});
