// ODBC sessions (npm odbc over unixODBC or Windows' driver manager): dialect found, UTC, read-only, a limit on every call.
import type { ClientOptions, ConnectClient, DatabaseClient } from './database-client.js';
import type { Dialect } from './identifiers.js';
import { dialectFix, dialectOfName, probeDialect } from './odbc-dialect.js';
import { OdbcTimeout, odbcError, odbcTimeout } from './odbc-errors.js';
import { loadOdbc } from './odbc-module.js';
import type { ColumnKind } from './values.js';

export interface OdbcConnection {
  /** The full connection string, password included: never logged or shown. */
  connectionString: string;
  /** The configured dialect; undefined: found from the driver's name, else by asking the server. */
  dialect?: Dialect | undefined;
  /** The driver's name (Driver= of the string, or the DSN's), for finding the dialect. */
  driverName(): Promise<string | undefined>;
  connectTimeoutMs: number;
}

/** mdbtools 1.0 parses only `SELECT [TOP n] columns FROM table [WHERE …]`: no ORDER BY, no ? parameters. */
export const mdbtoolsLimit =
  "the MDBTools ODBC driver cannot run capture's queries: its SQL has no ORDER BY and no parameters, so rows " +
  'cannot be paged in watermark order. Fix: read the Access file on Windows with "Microsoft Access Driver ' +
  '(*.mdb, *.accdb)", or export the table to SQLite or CSV and capture that (docs/odbc-sources.md)';

/** SQL_TYPE_TIMESTAMP (93) and ODBC 2's SQL_TIMESTAMP (11): zone-less date-times, as text. */
const timestampTypes = new Set([93, 11]);

/**
 * Statements that make a session read-only, UTC and time-limited, per dialect (none: the driver has no such
 * setting); a list holds alternatives, the first the server accepts is kept.
 */
function sessionSetup(dialect: Dialect, options: ClientOptions): (string | string[])[] {
  const ms = Math.trunc(options.queryTimeoutMs);
  if (dialect === 'postgres') {
    return [
      "SET TIME ZONE 'UTC'",
      `SET statement_timeout = ${ms}`,
      ...(options.readOnly ? ['SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY'] : []),
    ];
  }
  if (dialect === 'mysql') {
    return [
      "SET time_zone = '+00:00'",
      // MariaDB limits a statement with max_statement_time (seconds), MySQL a SELECT with max_execution_time (ms)
      [
        `SET SESSION max_statement_time = ${(ms / 1000).toFixed(3)}`,
        `SET SESSION max_execution_time = ${ms}`,
      ],
      ...(options.readOnly ? ['SET SESSION TRANSACTION READ ONLY'] : []),
    ];
  }
  if (dialect === 'sqlite') return options.readOnly ? ['PRAGMA query_only = ON'] : [];
  return []; // SQL Server, Oracle: a read-only login (docs/odbc-sources.md); Access through mdbtools is read-only
}

/** Ends `work` with `late` after `ms`; `abandon` cleans up whatever the late work still returns. */
function limited<T>(
  work: Promise<T>,
  ms: number,
  late: () => Error,
  abandon?: (value: T) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(late());
    }, ms);
  });
  work.then(
    (value) => timedOut && abandon?.(value),
    () => undefined,
  );
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export function odbcConnector(connection: OdbcConnection): ConnectClient {
  return async (options: ClientOptions): Promise<DatabaseClient> => {
    const driver = await connection.driverName();
    if (/mdbtools/i.test(driver ?? '')) throw new Error(mdbtoolsLimit);
    const odbc = await loadOdbc();
    const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
    const connectMs = connection.connectTimeoutMs;
    const session = await limited(
      odbc
        .connect({
          connectionString: connection.connectionString,
          connectionTimeout: seconds(connectMs),
          loginTimeout: seconds(connectMs),
        })
        .catch((error: unknown) => Promise.reject(odbcError(error, 'connecting through ODBC'))),
      connectMs + 1000, // the driver's own login timeout answers first; this is the backstop
      () => odbcTimeout('connecting through ODBC', connectMs),
      (late) => void late.close().catch(() => undefined),
    );
    // A call that overran its limit may still be running in the driver: the session is not used again.
    let broken: Error | undefined;
    const callMs = options.queryTimeoutMs;
    const run = async (sql: string, params: readonly unknown[], doing: string) => {
      if (broken) throw broken;
      try {
        return await limited(
          session.query(sql, [...params] as (number | string)[], { timeout: seconds(callMs) }),
          callMs + 1000,
          () => (broken = odbcTimeout(doing, callMs)),
        );
      } catch (error) {
        throw error instanceof OdbcTimeout ? error : odbcError(error, doing);
      }
    };
    let dialect: Dialect | undefined;
    try {
      dialect =
        connection.dialect ??
        dialectOfName(driver) ??
        (await probeDialect(
          async (sql) => [...(await run(sql, [], 'asking the server its type'))] as Record<string, unknown>[],
        ));
      if (!dialect)
        throw new Error(`the SQL dialect of this ODBC driver could not be found. Fix: ${dialectFix}`);
      for (const step of sessionSetup(dialect, options)) {
        const [first = '', ...others] = typeof step === 'string' ? [step] : step;
        await others.reduce(
          (tried, other) => tried.catch(() => run(other, [], `running ${other}`)),
          run(first, [], `running ${first}`),
        );
      }
    } catch (error) {
      void session.close().catch(() => undefined);
      throw error;
    }
    return {
      syntax: { dialect, placeholders: 'question' },
      async query(sql, params) {
        const result = await run(sql, params, 'query');
        const kinds = new Map<string, ColumnKind>();
        for (const column of result.columns ?? []) {
          if (timestampTypes.has(column.dataType)) kinds.set(column.name, 'timestamp');
        }
        return { rows: [...result] as Record<string, unknown>[], kinds };
      },
      async execute(sql) {
        await run(sql, [], 'statement');
      },
      async close() {
        // A call still running holds the session: give it a moment, then leave it to the driver.
        await limited(session.close(), 1000, () => new Error('close timed out')).catch(() => undefined);
      },
    };
  };
}
