// The latest records of a connection with their stored payloads, newest first (for `contract check`).
import type { Database } from 'better-sqlite3';
import { recordColumns, recordsWithPayloads, toRecord, type OutboxRecord, type RecordRow } from './record.js';
import { boundLimit } from './bound-limit.js';

/** Up to `limit` of the connection's newest records whose payload is still kept (not compacted). */
export function latestRecords(db: Database, connection: string, limit: number): OutboxRecord[] {
  const rows = db
    .prepare(
      `SELECT ${recordColumns} FROM ${recordsWithPayloads} WHERE connection = ? AND payload IS NOT NULL ORDER BY id DESC LIMIT ${boundLimit('?')}`,
    )
    .all(connection, limit) as RecordRow[];
  return rows.map(toRecord);
}
