// Records mode, CSV: header handling, dialects, quoting, line numbers and located rejections that never stop the file.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  parseRecords,
  recordFormatSchema,
  type RecordEvent,
  type RecordFormatInput,
} from '../../../../connectors/sources/folder/records/index.js';

type CsvInput = Omit<Extract<RecordFormatInput, { format: 'csv' }>, 'format'>;

async function parse(
  text: string | Buffer,
  options: CsvInput = {},
  chunkBytes = 1 << 16,
): Promise<RecordEvent[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  const events: RecordEvent[] = [];
  const parsed = recordFormatSchema.parse({ format: 'csv', ...options });
  for await (const event of parseRecords(Readable.from(chunks), parsed)) events.push(event);
  return events;
}

/** Compact view: [index, line, value] for records, [index, line, 'rejected', reason] for rejections. */
function summary(events: RecordEvent[]): unknown[] {
  return events.map((e) =>
    e.kind === 'record'
      ? [e.record.index, e.record.line, e.record.value]
      : [e.row.index, e.row.line, 'rejected', e.row.reason],
  );
}

describe('CSV header', () => {
  it('names the columns from the first line; values stay strings; raw is the row without its line break', async () => {
    const events = await parse('id,name,amount\n1,Alice,10.50\n2,Bob,3\n');
    expect(events).toEqual([
      {
        kind: 'record',
        record: {
          index: 0,
          line: 2,
          value: { id: '1', name: 'Alice', amount: '10.50' },
          raw: '1,Alice,10.50',
        },
      },
      {
        kind: 'record',
        record: { index: 1, line: 3, value: { id: '2', name: 'Bob', amount: '3' }, raw: '2,Bob,3' },
      },
    ]);
  });

  it('uses given column names, and the first line is then data', async () => {
    expect(summary(await parse('1,Alice\n2,Bob', { header: ['id', 'name'] }))).toEqual([
      [0, 1, { id: '1', name: 'Alice' }],
      [1, 2, { id: '2', name: 'Bob' }],
    ]);
  });

  it('without a header yields the fields as a list and holds every row to the first row’s field count', async () => {
    expect(summary(await parse('1,Alice\n2,Bob,extra\n3,Carol\n', { header: false }))).toEqual([
      [0, 1, ['1', 'Alice']],
      [1, 2, 'rejected', expect.stringContaining('row has 3 fields but the first row has 2')],
      [2, 3, ['3', 'Carol']],
    ]);
  });

  it('yields nothing for an empty file or a file with only a header', async () => {
    expect(await parse('')).toEqual([]);
    expect(await parse('id,name\n')).toEqual([]);
  });

  it('names empty header cells column<N> instead of dropping their values', async () => {
    expect(summary(await parse('id,,note\n1,x,y\n'))).toEqual([[0, 2, { id: '1', column2: 'x', note: 'y' }]]);
  });

  it('stops the file when the header names a column twice, since one value would overwrite the other', async () => {
    const events = await parse('id,name,id\n1,a,2\n');
    expect(summary(events)).toEqual([
      [0, 1, 'rejected', expect.stringContaining('the header names column "id" twice (columns 1 and 3)')],
    ]);
    expect(events[0]?.kind === 'rejected' && events[0].row.reason).toContain('stopped reading this file');
  });

  it('keeps a column named __proto__ as plain data without touching the prototype', async () => {
    const [event] = await parse('__proto__,b\n{"polluted":1},2\n');
    const value = event?.kind === 'record' ? (event.record.value as Record<string, unknown>) : {};
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(value['__proto__']).toBe('{"polluted":1}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('CSV dialects', () => {
  it.each([
    [';', 'a;b\n1;2\n'],
    ['\t', 'a\tb\n1\t2\n'],
    ['||', 'a||b\n1||2\n'],
  ])('splits on delimiter %j', async (delimiter, text) => {
    expect(summary(await parse(text, { delimiter }))).toEqual([[0, 2, { a: '1', b: '2' }]]);
  });

  it('keeps delimiters, doubled quotes and line breaks inside quoted fields', async () => {
    const text = 'id,note\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,""\n';
    expect(summary(await parse(text))).toEqual([
      [0, 2, { id: '1', note: 'a, b' }],
      [1, 3, { id: '2', note: 'say "hi"' }],
      [2, 4, { id: '3', note: 'two\nlines' }],
      [3, 6, { id: '4', note: '' }],
    ]);
  });

  it('numbers lines right after multi-line quoted fields in a CRLF file, and keeps the CRLF inside the field', async () => {
    const text = 'id,note\r\n1,"x\r\ny\r\nz"\r\n2,plain\r\n3,"q"\r\n';
    const events = await parse(text);
    expect(summary(events)).toEqual([
      [0, 2, { id: '1', note: 'x\r\ny\r\nz' }],
      [1, 5, { id: '2', note: 'plain' }],
      [2, 6, { id: '3', note: 'q' }],
    ]);
    expect(events[1]?.kind === 'record' && events[1].record.raw).toBe('2,plain');
  });

  it('reads a last row without a line break', async () => {
    expect(summary(await parse('a,b\n1,"2"'))).toEqual([[0, 2, { a: '1', b: '2' }]]);
    expect(summary(await parse('a,b\r\n1,2'))).toEqual([[0, 2, { a: '1', b: '2' }]]);
  });

  it('keeps a quote inside an unquoted field as it is', async () => {
    expect(summary(await parse('item,size\npipe,12" wide\n'))).toEqual([
      [0, 2, { item: 'pipe', size: '12" wide' }],
    ]);
  });

  it('with a backslash escape reads \\" and \\\\ inside quotes and keeps other backslashes', async () => {
    const text = 'a,b\n"say \\"hi\\"","C:\\\\temp\\x"\n';
    expect(summary(await parse(text, { escape: '\\' }))).toEqual([
      [0, 2, { a: 'say "hi"', b: 'C:\\temp\\x' }],
    ]);
  });

  it('with quoting off treats quotes as ordinary characters', async () => {
    expect(summary(await parse('a,b\n"1","2,3"\n', { quote: '', relaxColumnCount: true }))).toEqual([
      [0, 2, { a: '"1"', b: '"2', column3: '3"' }],
    ]);
  });

  it('skips empty lines by default without using up record numbers', async () => {
    expect(summary(await parse('a\n\n1\n\n\n2\n\n'))).toEqual([
      [0, 3, { a: '1' }],
      [1, 6, { a: '2' }],
    ]);
  });

  it('with skipEmptyLines off, an empty line is a row with one empty field', async () => {
    expect(summary(await parse('a\n1\n\n2\n', { skipEmptyLines: false }))).toEqual([
      [0, 2, { a: '1' }],
      [1, 3, { a: '' }],
      [2, 4, { a: '2' }],
    ]);
    expect(summary(await parse('a,b\n1,2\n\n', { skipEmptyLines: false }))).toEqual([
      [0, 2, { a: '1', b: '2' }],
      [1, 3, 'rejected', expect.stringContaining('row has 1 field but the header has 2')],
    ]);
  });

  it('with relaxColumnCount leaves missing fields out and names extra ones column<N>', async () => {
    expect(summary(await parse('a,b,c\n1,2\n1,2,3,4\n', { relaxColumnCount: true }))).toEqual([
      [0, 2, { a: '1', b: '2' }],
      [1, 3, { a: '1', b: '2', c: '3', column4: '4' }],
    ]);
  });
});

describe('CSV rejections', () => {
  it('rejects a row with the wrong number of fields, with line, reason and excerpt, and goes on', async () => {
    const events = await parse('id,name\n1,a\n2,b,c\n3,c\n');
    expect(events[1]).toEqual({
      kind: 'rejected',
      row: {
        index: 1,
        line: 3,
        reason:
          'row has 3 fields but the header has 2; check the delimiter and the quoting of this row, or set ' +
          'records.relaxColumnCount to accept it',
        excerpt: '2,b,c',
        raw: '2,b,c',
      },
    });
    expect(summary(events)[2]).toEqual([2, 4, { id: '3', name: 'c' }]);
  });

  it('rejects a row whose closing quote is followed by other text and resumes at the next line', async () => {
    expect(summary(await parse('id,note\n1,"bad"x,y\n2,ok\n'))).toEqual([
      [0, 2, 'rejected', expect.stringContaining('the closing quote of field 2 is followed by "x"')],
      [1, 3, { id: '2', note: 'ok' }],
    ]);
  });

  it('rejects only the first line of a quote never closed before the end, and reads the lines after it again', async () => {
    expect(summary(await parse('id,note\n1,ok\n2,"open\n3,fine\n4,also fine\n'))).toEqual([
      [0, 2, { id: '1', note: 'ok' }],
      [1, 3, 'rejected', expect.stringContaining('field 2 opens a quote that is never closed')],
      [2, 4, { id: '3', note: 'fine' }],
      [3, 5, { id: '4', note: 'also fine' }],
    ]);
  });

  it('rejects a row longer than maxRecordBytes and reads on at the next line', async () => {
    const long = 'x'.repeat(5000);
    const events = await parse(`a,b\n1,${long}\n2,short\n`, { maxRecordBytes: 1024 });
    expect(summary(events)).toEqual([
      [0, 2, 'rejected', expect.stringContaining('row is longer than maxRecordBytes (1024 characters)')],
      [1, 3, { a: '2', b: 'short' }],
    ]);
    expect(events[0]?.kind === 'rejected' && events[0].row.excerpt.length).toBeLessThanOrEqual(200);
  });

  it('holds no more than maxRecordBytes for a quote that is never closed, and recovers at the next line', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `${i + 2},row ${i + 2}`).join('\n');
    const events = await parse(`a,b\n1,"never closed\n${rows}\n`, { maxRecordBytes: 1024 }, 100);
    const [first, ...rest] = summary(events);
    expect(first).toEqual([
      0,
      2,
      'rejected',
      expect.stringContaining('usually a quote that is never closed'),
    ]);
    expect(rest).toHaveLength(400);
    expect(rest[0]).toEqual([1, 3, { a: '2', b: 'row 2' }]);
    expect(rest[399]).toEqual([400, 402, { a: '401', b: 'row 401' }]);
  });

  it('stops the file when the header row itself is malformed', async () => {
    expect(summary(await parse('id,"name"x\n1,a\n'))).toEqual([
      [0, 1, 'rejected', expect.stringMatching(/^the header row is malformed: .*stopped reading this file/)],
    ]);
  });

  it('gives the same events however the bytes are split into chunks', async () => {
    const filler = Array.from({ length: 600 }, (_, i) => `${i},filler`).join('\r\n');
    const tricky =
      '\r\n700,"multi\r\nline ""quoted"" €"\r\n701,"bad"junk\r\n\r\n702,ü,extra\r\n703,"a,b"\r\n704,"never';
    const text = `id,note\r\n${filler}${tricky}\r\n705,last`;
    const whole = summary(await parse(text));
    expect(whole).toHaveLength(606);
    expect(whole.slice(600)).toEqual([
      [600, 602, { id: '700', note: 'multi\r\nline "quoted" €' }],
      [601, 604, 'rejected', expect.stringContaining('closing quote')],
      [602, 606, 'rejected', expect.stringContaining('row has 3 fields')],
      [603, 607, { id: '703', note: 'a,b' }],
      [604, 608, 'rejected', expect.stringContaining('never closed')],
      [605, 609, { id: '705', note: 'last' }],
    ]);
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      expect(summary(await parse(text, {}, size)), `chunks of ${size} bytes`).toEqual(whole);
    }
  });
});
