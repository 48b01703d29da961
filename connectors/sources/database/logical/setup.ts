// Logical decoding setup: the prerequisite checks (each failure with its fix), the publication and the slot, or their SQL.
import type { DoctorCheck } from '../../../../preload/contract/doctor.js';
import type { DatabaseClient } from '../database-client.js';
import { quoteIdentifier } from '../identifiers.js';
import type { PostgresLogicalSourceConfig } from './config.js';
import { qualifiedTable } from './slot-facts.js';

type SetupFacts = Pick<PostgresLogicalSourceConfig, 'tables' | 'publication' | 'slot' | 'user'>;

const quoted = (name: string) => quoteIdentifier('postgres', name);

/** The statements that create the publication and the slot (what `capture setup` runs, or prints for a DBA). */
export function setupStatements(config: SetupFacts): string[] {
  return [
    `CREATE PUBLICATION ${quoted(config.publication)} FOR TABLE ${config.tables.map(qualifiedTable).join(', ')}`,
    `SELECT pg_create_logical_replication_slot('${config.slot}', 'pgoutput')`,
  ];
}

/** The whole script for --print-sql: the prerequisites as comments with their fixes, then the statements. */
export function setupScript(config: SetupFacts): string {
  const tables = config.tables.map(qualifiedTable);
  return [
    "-- Logical decoding for integration-agent (see docs/logical-decoding.md). Run as a superuser or the tables' owner.",
    '-- Prerequisites:',
    "--   SHOW wal_level;  -- must be 'logical'; else: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL",
    `ALTER ROLE ${quoted(config.user)} REPLICATION;  -- the capture login streams the slot`,
    '--   pg_hba.conf needs a line allowing that login the "replication" connection as well as the database.',
    '-- Optional, per table: full before-images of updates and deletes, unchanged TOASTed columns filled in:',
    ...tables.map((t) => `--   ALTER TABLE ${t} REPLICA IDENTITY FULL;`),
    ...setupStatements(config).map((s) => `${s};`),
    '',
  ].join('\n');
}

const check = (
  id: string,
  title: string,
  failed: string | undefined,
  detail: string,
  fix: string,
): DoctorCheck =>
  failed === undefined
    ? { id, title, status: 'pass', detail }
    : { id, title, status: 'fail', detail: failed, fix };

/** wal_level, the capture login's (config.user) REPLICATION privilege, slot capacity, and each table's existence and replica identity. */
export async function checkPrerequisites(client: DatabaseClient, config: SetupFacts): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const setting = async (name: string) =>
    String(
      ((await client.query(`SELECT current_setting($1)::text AS value`, [name])).rows[0]?.['value'] as
        string | undefined) ?? '',
    );
  const walLevel = await setting('wal_level');
  checks.push(
    check(
      'wal-level',
      'wal_level',
      walLevel === 'logical' ? undefined : `wal_level is "${walLevel}", not "logical"`,
      'wal_level is logical',
      'ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL (as a superuser)',
    ),
  );
  const role = (
    await client.query('SELECT rolsuper, rolreplication FROM pg_roles WHERE rolname = $1', [config.user])
  ).rows[0];
  const privileged = role?.['rolsuper'] === true || role?.['rolreplication'] === true;
  checks.push(
    check(
      'replication-privilege',
      'REPLICATION privilege',
      privileged ? undefined : `the login "${config.user}" has neither REPLICATION nor superuser`,
      role?.['rolsuper'] === true ? 'the login is a superuser' : 'the login has REPLICATION',
      `ALTER ROLE ${quoted(config.user)} REPLICATION; (as a superuser)`,
    ),
  );
  const slots = Number(await setting('max_replication_slots'));
  const used = Number(
    (
      await client.query('SELECT count(*)::int AS n FROM pg_replication_slots WHERE slot_name <> $1', [
        config.slot,
      ])
    ).rows[0]?.['n'] ?? 0,
  );
  checks.push(
    check(
      'replication-slots',
      'max_replication_slots',
      used < slots ? undefined : `all ${slots} replication slots are in use (max_replication_slots)`,
      `${used} of ${slots} replication slots in use`,
      'ALTER SYSTEM SET max_replication_slots = <more>; then restart PostgreSQL, or drop a slot nothing uses',
    ),
  );
  for (const table of config.tables) checks.push(await tableCheck(client, table));
  return checks;
}

async function tableCheck(client: DatabaseClient, table: string): Promise<DoctorCheck> {
  const { rows } = await client.query(
    `SELECT c.relreplident::text AS identity,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_key
     FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [qualifiedTable(table)],
  );
  const row = rows[0];
  const title = `table ${table}`;
  const id = `table:${table}`;
  if (!row) {
    return check(
      id,
      title,
      `the table ${table} does not exist (or the login cannot see it)`,
      '',
      "check the name in tables (case matters) and the login's access to its schema",
    );
  }
  const identity = String(row['identity']);
  const fullFix = `ALTER TABLE ${qualifiedTable(table)} REPLICA IDENTITY FULL; (or add a primary key)`;
  if (identity === 'n') {
    return check(
      id,
      title,
      `${table} has REPLICA IDENTITY NOTHING: updates and deletes cannot be captured`,
      '',
      fullFix,
    );
  }
  if (identity === 'd' && row['has_key'] !== true) {
    return check(
      id,
      title,
      `${table} has no primary key: PostgreSQL refuses its updates and deletes once published`,
      '',
      fullFix,
    );
  }
  const detail =
    identity === 'f'
      ? 'REPLICA IDENTITY FULL: deletes carry the whole old row, unchanged TOASTed columns are filled in'
      : 'replica identity is the key: deletes carry the key; unchanged TOASTed columns are left out of updates';
  return { id, title, status: 'pass', detail };
}

/** Creates what is missing (publication, slot); returns what it did, in plain words. */
export async function createPublicationAndSlot(
  client: DatabaseClient,
  config: SetupFacts,
): Promise<string[]> {
  const done: string[] = [];
  const [publication, slot] = setupStatements(config);
  const hasPublication =
    (await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [config.publication])).rows
      .length > 0;
  if (hasPublication) done.push(`the publication ${config.publication} exists already (left as it is)`);
  else {
    await client.execute(publication ?? '');
    done.push(`created the publication ${config.publication} for ${config.tables.join(', ')}`);
  }
  const hasSlot =
    (await client.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [config.slot])).rows
      .length > 0;
  if (hasSlot) done.push(`the replication slot ${config.slot} exists already (left as it is)`);
  else {
    await client.execute(slot ?? '');
    done.push(
      `created the replication slot ${config.slot} (pgoutput); it keeps WAL until the agent confirms it`,
    );
  }
  return done;
}
