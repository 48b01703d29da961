// The database sources (SQLite, PostgreSQL, MySQL/MariaDB): one definition per database type, sharing capture and checks.
import { defineSource } from '../../core/connector.js';
import type { BuildContext, CheckOptions } from '../../core/connector.js';
import { checkDatabaseSource } from './checks.js';
import { mysqlSourceSchema, sqliteSourceSchema, type DatabaseSourceConfig } from './config.js';
import { createDatabaseSource } from './create-source.js';
import { postgresCaptureSchema, type PostgresLogicalSourceConfig } from './logical/config.js';
import { checkLogicalSource, createLogicalSource } from './logical/create-logical-source.js';

const serverLabel = (
  config: Exclude<DatabaseSourceConfig, { type: 'sqlite' | 'odbc' }> | PostgresLogicalSourceConfig,
) => `${config.type} ${config.host}/${config.database}`;

const shared = {
  kind: 'source',
  create: (config: DatabaseSourceConfig, { secrets }: BuildContext) => createDatabaseSource(config, secrets),
  check: (config: DatabaseSourceConfig, options: CheckOptions) => checkDatabaseSource(config, options),
} as const;

export const sqliteConnector = defineSource({
  ...shared,
  type: 'sqlite',
  title: 'SQLite database',
  schema: sqliteSourceSchema,
  label: (config) => `sqlite ${config.file}`,
});

/** `type: postgres` polls (default) or, with `mode: logical`, streams the write-ahead log. */
export const postgresConnector = defineSource({
  kind: 'source',
  type: 'postgres',
  title: 'PostgreSQL database',
  schema: postgresCaptureSchema,
  label: serverLabel,
  create: (config, { secrets }) =>
    config.mode === 'logical' ? createLogicalSource(config, secrets) : createDatabaseSource(config, secrets),
  check: (config, options) =>
    config.mode === 'logical' ? checkLogicalSource(config, options) : checkDatabaseSource(config, options),
});

export const mysqlConnector = defineSource({
  ...shared,
  type: 'mysql',
  title: 'MySQL / MariaDB database',
  schema: mysqlSourceSchema,
  label: serverLabel,
});
