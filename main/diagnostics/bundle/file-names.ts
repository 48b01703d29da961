// File names in a bundle are hashed like business keys: captured file names can name customers, orders or people.
import type { Outbox } from '../../outbox/outbox.js';
import type { Redactor } from '../redaction.js';
import { keyHash } from './outbox-report.js';

/** The most recent records whose origin names a file; the most names one bundle hashes (bounds the pattern). */
const recentRecords = 50_000;
const maxNames = 2_000;
const minLength = 3;

/** File names (origin.file) of the most recent records, newest first. */
export function capturedFileNames(outbox: Outbox): string[] {
  const names = outbox.db
    .prepare(
      `SELECT DISTINCT json_extract(origin, '$.file') FROM (
         SELECT origin FROM records WHERE origin IS NOT NULL ORDER BY id DESC LIMIT ${recentRecords})
       WHERE json_valid(origin) AND json_extract(origin, '$.file') IS NOT NULL`,
    )
    .pluck()
    .all();
  return names.filter((n): n is string => typeof n === 'string' && n.length >= minLength).slice(0, maxNames);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The file's hash as it appears in bundles: `file#` and the same hash as a business key (`printf %s NAME | sha256sum`). */
export function hashedFileName(name: string): string {
  return `file#${keyHash(name)}`;
}

/**
 * Wraps a redactor so each known file name (as a whole path segment, also inside longer paths) becomes its hash.
 * Longer names first, so "a.csv" never eats part of "data.csv".
 */
export function withHashedFileNames(redact: Redactor, names: readonly string[]): Redactor {
  if (names.length === 0) return redact;
  const sorted = [...new Set(names)].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\w.-])(?:${sorted.map(escape).join('|')})(?![\\w.-])`, 'g');
  return (text) => redact(text).replace(pattern, (name) => hashedFileName(name));
}
