// How to reach an ODBC source: the connection string with the password from the secret store, and its identity.
import type { OdbcSourceConfig } from './config.js';
import type { ConnectClient } from './database-client.js';
import { dialectOfName, driverOf } from './odbc-dialect.js';
import { driverOfDsn } from './odbc-drivers.js';

/**
 * An attribute value as it goes into the connection string: in braces (ODBC's escaping, } doubled) only when it
 * holds ; { } = or edge blanks, since some drivers (psqlODBC for UID) keep braces around plain values.
 */
export function attributeValue(value: string): string {
  return /[;{}=]|^\s|\s$/.test(value) ? `{${value.replace(/\}/g, '}}')}}` : value;
}

export interface OdbcTarget {
  /** The full connection string, password included: only for the driver. */
  connectionString: string;
  driverName(): Promise<string | undefined>;
  /** The DSN or the connection string (which holds no password): part of every idempotency key. */
  database: string;
  /** "ODBC DSN erp", "ODBC driver PostgreSQL Unicode", for messages. */
  where: string;
}

export function odbcTarget(config: OdbcSourceConfig, password: string | undefined): OdbcTarget {
  const base = (config.dsn === undefined ? (config.connectionString ?? '') : `DSN=${config.dsn}`).replace(
    /;\s*$/,
    '',
  );
  const driver = config.dsn === undefined ? driverOf(base) : undefined;
  // The SQLite driver reports INTEGER columns as 32-bit unless BigInt=1: ids and versions above 2^31 would be cut.
  const bigint = dialectOfName(driver) === 'sqlite' && !/(?:^|;)\s*bigint\s*=/i.test(base) ? ';BigInt=1' : '';
  const login = [
    ...(config.user !== undefined ? [`UID=${attributeValue(config.user)}`] : []),
    ...(password !== undefined ? [`PWD=${attributeValue(password)}`] : []),
  ];
  return {
    connectionString: [`${base}${bigint}`, ...login].join(';'),
    driverName: () => Promise.resolve(config.dsn === undefined ? driver : driverOfDsn(config.dsn)),
    database: config.dsn === undefined ? base : `dsn ${config.dsn}`,
    where: config.dsn === undefined ? `ODBC driver ${driver ?? '(not named)'}` : `ODBC DSN ${config.dsn}`,
  };
}

/** The odbc package loads on first connect, not at start: it is optional and needs unixODBC on Linux. */
export function lazyOdbcConnector(
  target: OdbcTarget,
  config: Pick<OdbcSourceConfig, 'dialect' | 'connectTimeoutMs'>,
): ConnectClient {
  return async (options) => {
    const { odbcConnector } = await import('./odbc-client.js');
    return odbcConnector({
      connectionString: target.connectionString,
      dialect: config.dialect,
      driverName: () => target.driverName(),
      connectTimeoutMs: config.connectTimeoutMs,
    })(options);
  };
}
