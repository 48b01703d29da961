// Builds a database source (sqlite, postgres, mysql, odbc) from its config, with the password from the secret store.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { isLoopbackHost } from '../../core/loopback.js';
import { normalizeQuery, type DatabaseSourceConfig } from './config.js';
import type { PostgresLogicalSourceConfig } from './logical/config.js';
import type { ConnectClient } from './database-client.js';
import { lazyOdbcConnector, odbcTarget } from './odbc-target.js';
import type { PostgresConnection } from './postgres-client.js';
import { DatabaseSource } from './source.js';
import { sqliteConnector } from './sqlite-client.js';

/** Looks up a secret by name (the engine's SecretResolver); throws when it was not loaded. */
export type SecretLookup = (name: string) => string;

export interface DatabaseTarget {
  connect: ConnectClient;
  /** The TLS mode in effect (the config's, or the default for where the server is). */
  tls: 'off' | 'verify';
  /** Set when the connection to another machine is not encrypted (tls.mode: off). */
  transportWarning?: string;
  /** host:port/database, or the absolute SQLite file path: part of every idempotency key. */
  database: string;
  /** "PostgreSQL at host:5432/erp", for messages. */
  where: string;
}

/**
 * The pg and mysql2 drivers load on first connect, not at start: an agent without such a source never pays for them
 * (together about 30 MB of resident memory, measured).
 */
function lazyConnector(type: 'postgres' | 'mysql', connection: PostgresConnection): ConnectClient {
  let connector: Promise<ConnectClient> | undefined;
  return async (options) => {
    connector ??=
      type === 'postgres'
        ? import('./postgres-client.js').then((m) => m.postgresConnector(connection))
        : import('./mysql-client.js').then((m) => m.mysqlConnector(connection));
    return (await connector)(options);
  };
}

/** The host, login and TLS facts of a server database (for the logical replication connection too). */
export function postgresConnection(
  config: Exclude<DatabaseSourceConfig, { type: 'sqlite' | 'odbc' }> | PostgresLogicalSourceConfig,
  secrets: SecretLookup,
): PostgresConnection {
  const tls = {
    ...config.tls,
    mode: config.tls.mode ?? (isLoopbackHost(config.host) ? 'off' : 'verify'),
  } as const;
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password ? secrets(config.password.secretRef) : undefined,
    tls,
  };
}

/** How to reach the configured database (used by the source, the trigger installer and logical decoding setup). */
export function databaseTarget(
  config: DatabaseSourceConfig | PostgresLogicalSourceConfig,
  secrets: SecretLookup,
): DatabaseTarget {
  if (config.type === 'sqlite') {
    const file = resolve(config.file);
    return { connect: sqliteConnector(file), database: file, where: `SQLite file ${file}`, tls: 'off' };
  }
  if (config.type === 'odbc') {
    const target = odbcTarget(config, config.password ? secrets(config.password.secretRef) : undefined);
    // TLS is the driver's business (Encrypt=, sslmode=, … in the connection string or DSN).
    return {
      connect: lazyOdbcConnector(target, config),
      database: target.database,
      where: target.where,
      tls: 'off',
    };
  }
  const local = isLoopbackHost(config.host);
  const connection = postgresConnection(config, secrets);
  const tls = connection.tls;
  const database = `${config.host}:${config.port}/${config.database}`;
  const warning =
    tls.mode === 'off' && !local
      ? { transportWarning: `UNENCRYPTED connection to ${config.host}:${config.port} (tls.mode: off)` }
      : {};
  const facts = { database, tls: tls.mode, ...warning };
  return config.type === 'postgres'
    ? { connect: lazyConnector('postgres', connection), where: `PostgreSQL at ${database}`, ...facts }
    : { connect: lazyConnector('mysql', connection), where: `MySQL/MariaDB at ${database}`, ...facts };
}

export function createDatabaseSource(config: DatabaseSourceConfig, secrets: SecretLookup): DatabaseSource {
  const target = databaseTarget(config, secrets);
  const label = config.table ?? 'query';
  const query = config.query === undefined ? undefined : normalizeQuery(config.query);
  const identityTarget =
    query === undefined
      ? `table ${label}`
      : `query ${createHash('sha256').update(query).digest('hex').slice(0, 16)}`;
  return new DatabaseSource({
    type: config.type,
    identity: { sourceType: config.type, database: target.database, target: identityTarget },
    label,
    where: target.where,
    connect: target.connect,
    spec: {
      // ODBC: the configured dialect, else the one the connected driver reports; `?` placeholders whatever it is
      ...(config.type === 'odbc'
        ? { dialect: config.dialect, placeholders: 'question' as const }
        : { dialect: config.type }),
      table: config.table,
      columns: config.columns,
      query,
      watermark: config.watermark,
      primaryKey: config.primaryKey,
    },
    target: config.table ? `table ${config.table}` : 'query',
    watermark: config.watermark,
    primaryKey: config.primaryKey,
    businessKey: config.businessKey,
    batchSize: config.batchSize,
    pollIntervalMs: config.pollIntervalMs,
    queryTimeoutMs: config.queryTimeoutMs,
    overlapMs: config.overlapMs,
    overlapValues: config.overlapValues,
    deletes: config.deletes,
    retry: config.retry,
    transportWarning: target.transportWarning,
  });
}
