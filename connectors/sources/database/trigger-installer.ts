// Installs and removes the delete trigger and its log table on a writable session (trigger mode).
import type { DatabaseClient } from './database-client.js';
import { triggerSql, type TriggerTarget } from './trigger-sql.js';

/**
 * PostgreSQL's trigger function pins its search path, so it names the log table with its schema: the schema of
 * the session (`current_schema()`) when the config names the table without one, or `public` for printed SQL.
 */
export async function qualifiedTarget(
  target: TriggerTarget,
  client?: DatabaseClient,
): Promise<TriggerTarget> {
  if (target.dialect !== 'postgres' || target.table.includes('.')) return target;
  let schema = 'public';
  if (client) {
    const { rows } = await client.query('SELECT current_schema() AS schema', []);
    const current = rows[0]?.['schema'];
    if (typeof current === 'string') schema = current;
  }
  return { ...target, table: `${schema}.${target.table}` };
}

/** The statements `install-triggers --print-sql` shows, for a DBA to run. */
export async function installScript(target: TriggerTarget): Promise<string[]> {
  return triggerSql(await qualifiedTarget(target)).install;
}

export async function uninstallScript(target: TriggerTarget): Promise<string[]> {
  const sql = triggerSql(await qualifiedTarget(target));
  return [
    ...sql.uninstall,
    sql.clearLog,
    `-- when no other table has the agent's delete trigger: ${sql.dropLog}`,
  ];
}

export async function installDeleteTrigger(client: DatabaseClient, target: TriggerTarget): Promise<void> {
  for (const statement of triggerSql(await qualifiedTarget(target, client)).install) {
    await client.execute(statement);
  }
}

/** Drops the trigger; the log table goes too unless the agent's triggers on other tables still write to it. */
export async function uninstallDeleteTrigger(
  client: DatabaseClient,
  target: TriggerTarget,
): Promise<{ logDropped: boolean }> {
  const sql = triggerSql(await qualifiedTarget(target, client));
  for (const statement of sql.uninstall) await client.execute(statement);
  const { rows } = await client.query(sql.remainingTriggers, []);
  if (Number(rows[0]?.['n'] ?? 0) === 0) {
    await client.execute(sql.dropLog);
    return { logDropped: true };
  }
  try {
    await client.execute(sql.clearLog);
  } catch {
    // no log table: nothing to clear
  }
  return { logDropped: false };
}
