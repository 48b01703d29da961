// Per-record identity in records mode: the deterministic idempotency key and the business key of a parsed record.
import { createHash } from 'node:crypto';
import type { ParsedRecord, RecordValue } from './record-event.js';
import { setOwn } from './set-own.js';

/** The record has no usable value in the configured key column, so it cannot be keyed. */
export class RecordKeyError extends Error {
  constructor(record: ParsedRecord, column: string) {
    super(
      `record ${record.index + 1}${record.line > 0 ? ` (line ${record.line})` : ''} has no value in key column ` +
        `${JSON.stringify(column)}; fill it in, or correct records.keyColumn`,
    );
    this.name = 'RecordKeyError';
  }
}

/**
 * The idempotency key of one record. Deterministic: the same input always yields the same key.
 *
 * - Without `keyColumn`: file version + position. The key of row N stays the same as long as the file's bytes
 *   do; any new version of the file (one changed byte anywhere) re-keys, and so re-sends, every row in it.
 * - With `keyColumn`: the column's value + the record's content (canonical JSON, key order ignored). Stable
 *   across file versions and files: a row that reappears unchanged in a later export is not sent again, while a
 *   row whose content changed is a new change with a new key. Throws RecordKeyError when the value is missing.
 */
export function recordKey(fileVersionKey: string, record: ParsedRecord, keyColumn?: string): string {
  if (keyColumn === undefined) {
    return sha256(`folder-record\0${fileVersionKey}\0${record.index}`);
  }
  const key = businessKeyOf(record, keyColumn);
  if (key === undefined) throw new RecordKeyError(record, keyColumn);
  return sha256(`folder-record-by-key\0${JSON.stringify(key)}\0${canonicalJson(record.value)}`);
}

/** The key of a row rejected at position `index` of a file version: the same rejection captured twice is stored once. */
export function rejectedRowKey(fileVersionKey: string, index: number): string {
  return sha256(`folder-rejected\0${fileVersionKey}\0${index}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The record's value in `column` as text, or undefined when absent or empty. `column` is a property name; for
 * nested records (JSON, XML) also a path such as `Customer/Id` or `@id`; for CSV rows without a header the
 * column number counting from 1. An XML element with attributes yields its `#text`.
 */
export function businessKeyOf(record: ParsedRecord, column?: string): string | undefined {
  if (column === undefined) return undefined;
  return scalarText(lookup(record.value, column));
}

function lookup(value: RecordValue, column: string): unknown {
  if (Array.isArray(value)) {
    return /^[1-9]\d*$/.test(column) ? value[Number(column) - 1] : undefined;
  }
  if (Object.hasOwn(value, column)) return value[column];
  if (!column.includes('/')) return undefined;
  let current: unknown = value;
  for (const part of column.split('/')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, '#text')) {
    return scalarText((value as Record<string, unknown>)['#text']);
  }
  return undefined;
}

/** JSON with object keys sorted, so the same content always serializes the same way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedCopy(value)) ?? 'null';
}

function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of sortedKeys(object)) setOwn(copy, key, sortedCopy(object[key]));
  return copy;
}

// Records of one file share their keys (a CSV header): the sorted order is reused while the keys stay the same.
let lastKeys: string[] = [];
let lastSorted: string[] = [];

function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  if (keys.length !== lastKeys.length || keys.some((key, i) => key !== lastKeys[i])) {
    lastKeys = keys;
    lastSorted = [...keys].sort();
  }
  return lastSorted;
}
