// The slot's backpressure facts (retained WAL, unconfirmed lag), the primary keys of the tables, the slot's presence.
import type { ReplicationSlotFacts } from '../../../core/source.js';
import type { DatabaseClient } from '../database-client.js';
import { quoteIdentifier } from '../identifiers.js';

export type SlotFacts = ReplicationSlotFacts;

/** "orders" → "public"."orders": the way regclass must read a validated (case-sensitive) name. */
export function qualifiedTable(name: string): string {
  const parts = name.includes('.') ? name.split('.') : ['public', name];
  return parts.map((part) => quoteIdentifier('postgres', part)).join('.');
}

export class SlotMissingError extends Error {}

/** Reads the slot's row of pg_replication_slots; throws SlotMissingError when there is none. */
export async function readSlotFacts(
  client: DatabaseClient,
  slot: string,
  alertBytes: number,
): Promise<SlotFacts> {
  const { rows } = await client.query(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained,
       pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text AS lag, active, plugin
     FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()`,
    [slot],
  );
  const row = rows[0];
  if (!row) {
    throw new SlotMissingError(
      `the replication slot "${slot}" does not exist in this database. Fix: run \`integration-agent capture setup ` +
        '<connection>` (or give its --print-sql output to your DBA); see docs/logical-decoding.md',
    );
  }
  if (row['plugin'] !== 'pgoutput') {
    throw new SlotMissingError(
      `the replication slot "${slot}" uses the plugin "${String(row['plugin'])}", not pgoutput. Fix: choose another ` +
        'slot name (setting slot), or drop that slot if nothing else uses it',
    );
  }
  return {
    name: slot,
    retainedBytes: Math.max(0, Number(row['retained'] ?? 0)),
    lagBytes: Math.max(0, Number(row['lag'] ?? 0)),
    active: row['active'] === true,
    alertBytes,
    checkedAt: Date.now(),
  };
}

/** "schema.table" → its primary key columns in key order; tables without one are absent. */
export async function readPrimaryKeys(
  client: DatabaseClient,
  tables: readonly string[],
): Promise<Map<string, string[]>> {
  const { rows } = await client.query(
    `SELECT n.nspname::text AS schema, c.relname::text AS name,
       array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum)) AS columns
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
     WHERE i.indisprimary AND c.oid = ANY ($1::text[]::regclass[])
     GROUP BY 1, 2`,
    [tables.map(qualifiedTable)],
  );
  return new Map(
    rows.map((row) => [`${String(row['schema'])}.${String(row['name'])}`, row['columns'] as string[]]),
  );
}
