// Deterministic identities of captured rows and deletes: idempotency keys, ordering keys, row hashes.
import { createHash } from 'node:crypto';
import type { JsonValue } from './values.js';

/** What a captured row belongs to: the same on every run and machine for the same database and table/query. */
export interface CaptureIdentity {
  sourceType: string;
  /** host:port/database, or the SQLite file's absolute path. */
  database: string;
  /** "table orders" or "query <sha256 of the SELECT>". */
  target: string;
}

function digest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** Primary key values as text, so a row and its delete-trigger log entry name the row the same way. */
export function keyText(pk: readonly JsonValue[]): string {
  return JSON.stringify(
    pk.map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v))),
  );
}

/** A version of a row: its watermark value, or the hash of its content when there is no watermark. */
export function rowKey(identity: CaptureIdentity, pk: string, version: string): string {
  return digest(['db-row', identity.sourceType, identity.database, identity.target, pk, version]);
}

/** A delete of a row version (reconcile: the version last captured; trigger: the log entry id). */
export function deleteKey(identity: CaptureIdentity, pk: string, version: string): string {
  return digest(['db-delete', identity.sourceType, identity.database, identity.target, pk, version]);
}

export function rowHash(payload: Buffer): string {
  return createHash('sha256').update(payload).digest('hex');
}

/** Updates and deletes of one row share it, so they are delivered in capture order. */
export function orderingKey(label: string, pk: string): string {
  return `${label}:${pk}`;
}
