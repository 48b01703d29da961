// The database sources (SQLite, PostgreSQL, MySQL/MariaDB): one definition per database type, sharing capture and checks.
import { defineSource } from '../../core/connector.js';
import type { BuildContext, CheckOptions } from '../../core/connector.js';
import { checkDatabaseSource } from './checks.js';
import {
  mysqlSourceSchema,
  postgresSourceSchema,
  sqliteSourceSchema,
  type DatabaseSourceConfig,
} from './config.js';
import { createDatabaseSource } from './create-source.js';

const serverLabel = (config: Exclude<DatabaseSourceConfig, { type: 'sqlite' | 'odbc' }>) =>
  `${config.type} ${config.host}/${config.database}`;

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

export const postgresConnector = defineSource({
  ...shared,
  type: 'postgres',
  title: 'PostgreSQL database',
  schema: postgresSourceSchema,
  label: serverLabel,
});

export const mysqlConnector = defineSource({
  ...shared,
  type: 'mysql',
  title: 'MySQL / MariaDB database',
  schema: mysqlSourceSchema,
  label: serverLabel,
});
