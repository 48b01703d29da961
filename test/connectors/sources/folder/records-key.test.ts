// Records mode identity and config: idempotency keys by position or key column, business keys, the options schema.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromZodError } from '../../../../main/config/errors.js';
import {
  businessKeyOf,
  recordFormatSchema,
  recordKey,
  RecordKeyError,
  type ParsedRecord,
} from '../../../../connectors/sources/folder/records/index.js';

const record = (index: number, value: ParsedRecord['value'], line = index + 2): ParsedRecord => ({
  index,
  line,
  value,
});
const versionA = 'a'.repeat(64);
const versionB = 'b'.repeat(64);

describe('recordKey by position (no key column)', () => {
  it('is deterministic and pinned, so an upgrade never re-keys records already captured', () => {
    const key = recordKey(versionA, record(0, { id: '1' }));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(recordKey(versionA, record(0, { id: 'other content' }))).toBe(key);
    expect(key).toBe('a6cda5373d7be938fb245307b9fe8c3014c84ad0fa2afdd8fc20f6d91df44acf');
  });

  it('differs by row position and by file version', () => {
    const first = recordKey(versionA, record(0, { id: '1' }));
    expect(recordKey(versionA, record(1, { id: '1' }))).not.toBe(first);
    expect(recordKey(versionB, record(0, { id: '1' }))).not.toBe(first);
  });
});

describe('recordKey by key column', () => {
  it('is the same for an unchanged row in another file version, whatever its position or key order', () => {
    const key = recordKey(versionA, record(3, { id: 'INV-7', amount: '10' }), 'id');
    expect(key).toBe('54db4e0cf5472bfdc94909f78a81fcd5caa25ed62230b0cb456ea75922bf763d'); // pinned
    expect(recordKey(versionB, record(9, { amount: '10', id: 'INV-7' }), 'id')).toBe(key);
  });

  it('changes when the row’s content changes, so an updated row is sent as a new change', () => {
    const key = recordKey(versionA, record(3, { id: 'INV-7', amount: '10' }), 'id');
    expect(recordKey(versionA, record(3, { id: 'INV-7', amount: '11' }), 'id')).not.toBe(key);
    expect(recordKey(versionA, record(3, { id: 'INV-8', amount: '10' }), 'id')).not.toBe(key);
  });

  it('never equals a position key', () => {
    const value = { id: '0' };
    expect(recordKey(versionA, record(0, value), 'id')).not.toBe(recordKey(versionA, record(0, value)));
  });

  it('throws RecordKeyError naming the record, line and column when the value is missing or empty', () => {
    expect(() => recordKey(versionA, record(4, { id: '' }, 6), 'id')).toThrow(RecordKeyError);
    expect(() => recordKey(versionA, record(4, { other: 'x' }, 6), 'id')).toThrow(
      'record 5 (line 6) has no value in key column "id"; fill it in, or correct records.keyColumn',
    );
  });
});

describe('businessKeyOf', () => {
  it('reads a column, a nested path, an XML element’s #text, or a column number for rows without a header', () => {
    expect(businessKeyOf(record(0, { 'Invoice No': 'A-1' }), 'Invoice No')).toBe('A-1');
    expect(businessKeyOf(record(0, { Customer: { Id: 42 } }), 'Customer/Id')).toBe('42');
    expect(businessKeyOf(record(0, { 'a/b': 'exact wins', a: { b: 'path' } }), 'a/b')).toBe('exact wins');
    expect(businessKeyOf(record(0, { No: { '@type': 'x', '#text': 'N-1' } }), 'No')).toBe('N-1');
    expect(businessKeyOf(record(0, { '@id': '7' }), '@id')).toBe('7');
    expect(businessKeyOf(record(0, ['a', 'b', 'c']), '2')).toBe('b');
  });

  it('is undefined without a column, for a missing or empty value, and for lists and objects', () => {
    expect(businessKeyOf(record(0, { id: '1' }))).toBeUndefined();
    expect(businessKeyOf(record(0, { id: '' }), 'id')).toBeUndefined();
    expect(businessKeyOf(record(0, { id: '1' }), 'missing')).toBeUndefined();
    expect(businessKeyOf(record(0, { id: ['1', '2'] }), 'id')).toBeUndefined();
    expect(businessKeyOf(record(0, { id: { a: 1 } }), 'id')).toBeUndefined();
    expect(businessKeyOf(record(0, ['a']), '0')).toBeUndefined();
    expect(businessKeyOf(record(0, ['a']), 'name')).toBeUndefined();
    expect(businessKeyOf(record(0, { a: 'x' }), 'toString')).toBeUndefined();
  });
});

describe('recordFormatSchema', () => {
  it('fills in the CSV defaults', () => {
    expect(recordFormatSchema.parse({ format: 'csv' })).toEqual({
      format: 'csv',
      header: true,
      delimiter: ',',
      quote: '"',
      skipEmptyLines: true,
      relaxColumnCount: false,
      encoding: 'utf-8',
      maxRecordBytes: 1024 * 1024,
    });
    expect(recordFormatSchema.parse({ format: 'xml', recordPath: 'a/b', keyColumn: '@id' })).toMatchObject({
      recordPath: 'a/b',
      keyColumn: '@id',
      encoding: 'utf-8',
    });
  });

  function issues(input: unknown) {
    const result = recordFormatSchema.safeParse(input, { reportInput: true });
    if (result.success) throw new Error('expected the options to be refused');
    return fromZodError('agent.json', result.error).issues;
  }

  it.each([
    [{ format: 'csv', delimiter: ';"' }, 'delimiter', 'the delimiter contains the quote character "'],
    [{ format: 'csv', delimiter: '\n' }, 'delimiter', 'the delimiter contains a line break'],
    [{ format: 'csv', quote: '', escape: '\\' }, 'escape', 'an escape character needs quoting'],
    [{ format: 'csv', header: ['a', 'b', 'a'] }, 'header', 'column "a" is listed twice'],
  ])('refuses %j with a problem and a fix', (input, path, problem) => {
    const [issue] = issues(input);
    expect(issue?.path).toBe(path);
    expect(issue?.problem).toContain(problem);
    expect(issue?.fix).not.toBe('change the value so that this check passes');
  });

  it('names the known formats, the encodings and the record path rule', () => {
    expect(issues({ format: 'excel' })[0]?.fix).toBe(
      'set format to one of: "csv", "json-array", "ndjson", "xml"',
    );
    expect(issues({ format: 'csv', encoding: 'ascii' })[0]?.fix).toContain('"windows-1252"');
    expect(issues({ format: 'xml', recordPath: 'a//b' })[0]?.problem).toContain('Export/Invoices/Invoice');
    expect(issues({ format: 'ndjson', maxRecordBytes: 10 })[0]?.problem).toContain('at least 1024');
  });

  it('exports to JSON Schema with descriptions, for the config file schema', () => {
    const schema = JSON.stringify(z.toJSONSchema(recordFormatSchema, { io: 'input' }));
    expect(schema).toContain('Field separator');
    expect(schema).toContain('Element path from the root');
  });
});
