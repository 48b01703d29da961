// DDL of trigger mode per dialect: the delete-log table, the AFTER DELETE trigger that fills it, and their removal.
import { quoteIdentifier, quoteTable, type Dialect } from './identifiers.js';
import { deleteLogTable } from './sql-builder.js';

export interface TriggerTarget {
  dialect: Dialect;
  /** table or schema.table (for PostgreSQL: schema-qualified, see resolveSchema in the command). */
  table: string;
  primaryKey: string[];
  /** PostgreSQL: the capture login, granted SELECT on the log when another login installs the trigger. */
  captureUser?: string | undefined;
}

export interface TriggerSql {
  install: string[];
  uninstall: string[];
  /** Counts the agent's delete triggers still installed (uninstall keeps a log other triggers write to). */
  remainingTriggers: string;
  clearLog: string;
  dropLog: string;
}

function parts(table: string): { schema: string | undefined; name: string } {
  const [first = '', second] = table.split('.');
  return second === undefined ? { schema: undefined, name: first } : { schema: first, name: second };
}

/** Identifiers derived from the table name, cut to stay within 63 characters. */
const derived = (prefix: string, name: string) => `${prefix}${name}`.slice(0, 63);

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function triggerSql(target: TriggerTarget): TriggerSql {
  const { dialect, primaryKey } = target;
  const { schema, name } = parts(target.table);
  const q = (id: string) => quoteIdentifier(dialect, id);
  const inSchema = (id: string) => (schema ? `${q(schema)}.${q(id)}` : q(id));
  const table = quoteTable(dialect, target.table);
  const log = inSchema(deleteLogTable);
  const index = `${deleteLogTable}_by_table`;
  const trigger = derived('integration_agent_delete_', name);
  const tableName = literal(name);
  const user = target.captureUser;
  const common = {
    clearLog: `DELETE FROM ${log} WHERE table_name = ${tableName}`,
    dropLog: `DROP TABLE IF EXISTS ${log}`,
  };
  if (dialect === 'postgres') {
    const fn = inSchema(derived('integration_agent_log_delete_', name));
    const keys = primaryKey.map((c) => `OLD.${q(c)}::text`).join(', ');
    return {
      ...common,
      remainingTriggers:
        "SELECT count(*) AS n FROM pg_catalog.pg_trigger WHERE tgname = 'integration_agent_delete' AND NOT tgisinternal",
      install: [
        `CREATE TABLE IF NOT EXISTS ${log} (id bigserial PRIMARY KEY, table_name text NOT NULL, pk jsonb NOT NULL, ` +
          'deleted_at timestamptz NOT NULL DEFAULT clock_timestamp())',
        `CREATE INDEX IF NOT EXISTS ${q(index)} ON ${log} (table_name, id)`,
        // SECURITY DEFINER: whoever deletes rows needs no rights on the log; the search path is pinned for safety.
        `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER ` +
          `SET search_path = pg_catalog, pg_temp AS $body$ BEGIN ` +
          `INSERT INTO ${log} (table_name, pk) VALUES (${tableName}, jsonb_build_array(${keys})); RETURN OLD; END $body$`,
        `DROP TRIGGER IF EXISTS integration_agent_delete ON ${table}`,
        `CREATE TRIGGER integration_agent_delete AFTER DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
        ...(user ? [`GRANT SELECT ON ${log} TO ${q(user)}`] : []),
      ],
      uninstall: [
        `DROP TRIGGER IF EXISTS integration_agent_delete ON ${table}`,
        `DROP FUNCTION IF EXISTS ${fn}()`,
      ],
    };
  }
  if (dialect === 'mysql') {
    const keys = primaryKey.map((c) => `CAST(OLD.${q(c)} AS CHAR)`).join(', ');
    return {
      ...common,
      remainingTriggers:
        'SELECT count(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ' +
        `${schema ? literal(schema) : 'DATABASE()'} AND TRIGGER_NAME LIKE 'integration\\_agent\\_delete\\_%'`,
      install: [
        `CREATE TABLE IF NOT EXISTS ${log} (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, ` +
          'table_name VARCHAR(64) NOT NULL, pk TEXT NOT NULL, ' +
          `deleted_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), KEY ${q(index)} (table_name, id))`,
        `DROP TRIGGER IF EXISTS ${inSchema(trigger)}`,
        `CREATE TRIGGER ${inSchema(trigger)} AFTER DELETE ON ${table} FOR EACH ROW ` +
          `INSERT INTO ${log} (table_name, pk) VALUES (${tableName}, JSON_ARRAY(${keys}))`,
      ],
      uninstall: [`DROP TRIGGER IF EXISTS ${inSchema(trigger)}`],
    };
  }
  if (dialect !== 'sqlite') {
    throw new Error(
      `trigger mode is not available for ${dialect} databases. Fix: use deletes.mode reconcile (trigger mode ` +
        'covers PostgreSQL, MySQL/MariaDB and SQLite, natively or over ODBC)',
    );
  }
  const keys = primaryKey.map((c) => `CAST(OLD.${q(c)} AS TEXT)`).join(', ');
  return {
    ...common,
    remainingTriggers:
      `SELECT count(*) AS n FROM ${inSchema('sqlite_master')} WHERE type = 'trigger' ` +
      `AND name LIKE 'integration!_agent!_delete!_%' ESCAPE '!'`,
    install: [
      `CREATE TABLE IF NOT EXISTS ${log} (id INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, ` +
        `pk TEXT NOT NULL, deleted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`,
      `CREATE INDEX IF NOT EXISTS ${inSchema(index)} ON ${q(deleteLogTable)} (table_name, id)`,
      `DROP TRIGGER IF EXISTS ${inSchema(trigger)}`,
      // Inside a SQLite trigger, tables are named without their schema (the trigger's own schema is used).
      `CREATE TRIGGER ${inSchema(trigger)} AFTER DELETE ON ${q(name)} FOR EACH ROW BEGIN ` +
        `INSERT INTO ${q(deleteLogTable)} (table_name, pk) VALUES (${tableName}, json_array(${keys})); END`,
    ],
    uninstall: [`DROP TRIGGER IF EXISTS ${inSchema(trigger)}`],
  };
}
