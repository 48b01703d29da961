// MySQL and MariaDB sessions (mysql2): UTC, read-only, statement time limits; dates and big numbers as text.
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { ClientOptions, ConnectClient, DatabaseClient } from './database-client.js';
import type { ColumnKind } from './values.js';

export interface MysqlConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string | undefined;
  tls: { mode: 'off' | 'verify'; caFile?: string | undefined };
}

const mysqlTypes = { timestamp: 7, datetime: 12, json: 245 };

function kindOf(field: mysql.FieldPacket): ColumnKind | undefined {
  const type = field.columnType ?? field.type;
  if (type === mysqlTypes.timestamp) return 'timestamptz'; // TIMESTAMP is an instant; the session is in UTC
  if (type === mysqlTypes.datetime) return 'timestamp';
  if (field.extendedFormat === 'json') return 'json'; // MariaDB's JSON is LONGTEXT tagged as json
  return undefined;
}

/** MariaDB limits a statement with max_statement_time (seconds), MySQL a SELECT with max_execution_time (ms). */
async function limitStatementTime(connection: mysql.Connection, ms: number): Promise<void> {
  try {
    await connection.query(`SET SESSION max_statement_time = ${(ms / 1000).toFixed(3)}`);
  } catch {
    await connection.query(`SET SESSION max_execution_time = ${Math.trunc(ms)}`);
  }
}

export function mysqlConnector(connection: MysqlConnection): ConnectClient {
  return async (options: ClientOptions): Promise<DatabaseClient> => {
    const session = await mysql.createConnection({
      host: connection.host,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      ...(connection.password !== undefined ? { password: connection.password } : {}),
      ...(connection.tls.mode === 'verify'
        ? {
            ssl: {
              rejectUnauthorized: true,
              ...(connection.tls.caFile ? { ca: readFileSync(connection.tls.caFile) } : {}),
            },
          }
        : {}),
      connectTimeout: options.queryTimeoutMs,
      dateStrings: true, // keeps microseconds and avoids any local-time conversion
      supportBigNumbers: true,
      bigNumberStrings: true,
      charset: 'utf8mb4',
      multipleStatements: false,
    });
    let broken: Error | undefined;
    session.on('error', (error: Error) => (broken = error));
    // The server's own limit (below) answers first with its message; the client-side timeout is the backstop.
    const timeout = options.queryTimeoutMs + 1000;
    try {
      await session.query({ sql: "SET time_zone = '+00:00'", timeout });
      await limitStatementTime(session, options.queryTimeoutMs);
      if (options.readOnly) await session.query({ sql: 'SET SESSION TRANSACTION READ ONLY', timeout });
    } catch (error) {
      session.destroy();
      throw error;
    }
    return {
      async query(sql, params) {
        if (broken) throw broken;
        const [rows, fields] = await session.query({ sql, values: [...params], timeout });
        const kinds = new Map<string, ColumnKind>();
        for (const field of fields ?? []) {
          const kind = kindOf(field);
          if (kind) kinds.set(field.name, kind);
        }
        return { rows: (Array.isArray(rows) ? rows : []) as Record<string, unknown>[], kinds };
      },
      async execute(sql) {
        if (broken) throw broken;
        await session.query({ sql, timeout });
      },
      async close() {
        // end() waits for a running query: give it a moment, then cut the connection.
        let timer: NodeJS.Timeout | undefined;
        const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)));
        await Promise.race([session.end().catch(() => undefined), cap]);
        clearTimeout(timer);
        session.destroy();
      },
    };
  };
}
