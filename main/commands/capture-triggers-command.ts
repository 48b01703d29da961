// `integration-agent capture install-triggers|uninstall-triggers <connection>`: the delete trigger of trigger mode.
import type { DatabaseSourceConfig } from '../../connectors/sources/database/config.js';
import { databaseTarget } from '../../connectors/sources/database/create-source.js';
import {
  describeDatabaseError,
  type DatabaseClient,
} from '../../connectors/sources/database/database-client.js';
import {
  installDeleteTrigger,
  installScript,
  uninstallDeleteTrigger,
  uninstallScript,
} from '../../connectors/sources/database/trigger-installer.js';
import type { Dialect } from '../../connectors/sources/database/identifiers.js';
import type { TriggerTarget } from '../../connectors/sources/database/trigger-sql.js';
import { CliError, exitCodes } from './cli-error.js';
import { configuredConnection, connectionSecretsOf } from './configured-connection.js';
import type { SetupOptions } from './resolve-setup.js';

export interface TriggerCommandOptions extends SetupOptions {
  /** Print the SQL for a DBA instead of running it. */
  printSql?: boolean;
  /** Run it as this login (one allowed to create tables and triggers) instead of the connection's own. */
  user?: string;
  /** With --user: the environment variable that holds that login's password. */
  passwordFromEnv?: string;
}

const privilegesHint = 'see "Trigger mode" in docs/database-capture.md for the privileges it needs';

async function databaseSourceOf(
  connectionId: string,
  options: TriggerCommandOptions,
): Promise<{ source: DatabaseSourceConfig; secrets: (name: string) => string }> {
  const configured = await configuredConnection(connectionId, options);
  const { connection } = configured;
  const source = connection.source;
  if (source.type === 'folder') {
    throw new CliError(
      `connection "${connectionId}" captures a folder; delete triggers are for database sources`,
      exitCodes.failure,
    );
  }
  if (source.type === 'postgres' && source.mode === 'logical') {
    throw new CliError(
      `connection "${connectionId}" uses logical decoding, which captures deletes itself; run \`integration-agent capture setup ${connectionId}\` instead`,
      exitCodes.failure,
    );
  }
  if (source.table === undefined) {
    throw new CliError(
      `connection "${connectionId}" captures a query; delete triggers need a table (set source.table)`,
      exitCodes.failure,
    );
  }
  if (options.user !== undefined || options.printSql) return { source, secrets: () => '' };
  return { source, secrets: await connectionSecretsOf(configured) };
}

/** The connection's own login, or --user with the password from --password-from-env. */
function adminLogin(
  source: DatabaseSourceConfig,
  secrets: (name: string) => string,
  options: TriggerCommandOptions,
): { config: DatabaseSourceConfig; secrets: (name: string) => string } {
  if (options.user === undefined || source.type === 'sqlite') return { config: source, secrets };
  let password: string | undefined;
  if (options.passwordFromEnv !== undefined) {
    password = process.env[options.passwordFromEnv];
    if (password === undefined || password === '') {
      throw new CliError(
        `the environment variable ${options.passwordFromEnv} is not set or empty`,
        exitCodes.failure,
      );
    }
  }
  const config = {
    ...source,
    user: options.user,
    password: password === undefined ? undefined : { secretRef: 'admin' },
  };
  return { config, secrets: () => password ?? '' };
}

/** The SQL dialect: the source's type, or for ODBC the configured one, else the one the connected driver speaks. */
function dialectOf(source: DatabaseSourceConfig, client?: DatabaseClient): Dialect {
  if (source.type !== 'odbc') return source.type;
  const dialect = source.dialect ?? client?.syntax?.dialect;
  if (dialect === undefined) {
    throw new CliError(
      'the SQL dialect of this ODBC source is found when connecting: set source.dialect to print its SQL',
      exitCodes.failure,
    );
  }
  return dialect;
}

function triggerTarget(
  source: DatabaseSourceConfig,
  options: TriggerCommandOptions,
  client?: DatabaseClient,
): TriggerTarget {
  const captureUser =
    source.type !== 'sqlite' && options.user !== undefined && options.user !== source.user
      ? source.user
      : undefined;
  return {
    dialect: dialectOf(source, client),
    table: source.table ?? '',
    primaryKey: source.primaryKey,
    ...(captureUser ? { captureUser } : {}),
  };
}

async function withAdminSession<T>(
  source: DatabaseSourceConfig,
  secrets: (name: string) => string,
  options: TriggerCommandOptions,
  work: (client: DatabaseClient) => Promise<T>,
): Promise<{ result: T; where: string }> {
  const login = adminLogin(source, secrets, options);
  const target = databaseTarget(login.config, login.secrets);
  let client: DatabaseClient | undefined;
  try {
    client = await target.connect({ queryTimeoutMs: source.queryTimeoutMs, readOnly: false });
    return { result: await work(client), where: target.where };
  } catch (error) {
    throw new CliError(
      `${target.where}: ${describeDatabaseError(error)}; ${privilegesHint}`,
      exitCodes.failure,
    );
  } finally {
    await client?.close();
  }
}

export async function installTriggersCommand(
  connectionId: string,
  options: TriggerCommandOptions,
): Promise<void> {
  const { source, secrets } = await databaseSourceOf(connectionId, options);
  if (options.printSql) {
    const target = triggerTarget(source, options);
    process.stdout.write(`${(await installScript(target)).map((s) => `${s};`).join('\n')}\n`);
    return;
  }
  const { where } = await withAdminSession(source, secrets, options, (client) =>
    installDeleteTrigger(client, triggerTarget(source, options, client)),
  );
  process.stdout.write(
    `Installed the delete trigger on ${source.table ?? ''} and the log table integration_agent_deleted_rows (${where}).\n`,
  );
  if (source.deletes.mode !== 'trigger') {
    process.stderr.write(
      `note: connection "${connectionId}" has deletes.mode "${source.deletes.mode}"; set it to "trigger" so the agent reads the log.\n`,
    );
  }
}

export async function uninstallTriggersCommand(
  connectionId: string,
  options: TriggerCommandOptions,
): Promise<void> {
  const { source, secrets } = await databaseSourceOf(connectionId, options);
  if (options.printSql) {
    const target = triggerTarget(source, options);
    process.stdout.write(
      `${(await uninstallScript(target)).map((s) => (s.startsWith('--') ? s : `${s};`)).join('\n')}\n`,
    );
    return;
  }
  const { result, where } = await withAdminSession(source, secrets, options, (client) =>
    uninstallDeleteTrigger(client, triggerTarget(source, options, client)),
  );
  process.stdout.write(
    `Removed the delete trigger from ${source.table ?? ''} (${where}); ` +
      (result.logDropped
        ? 'the log table was dropped.\n'
        : "the log table stays: the agent's triggers on other tables still write to it.\n"),
  );
}
