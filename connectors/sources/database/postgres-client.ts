// PostgreSQL sessions (pg): UTC, read-only, statement_timeout; timestamps kept as text so microseconds survive.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { ClientOptions, ConnectClient, DatabaseClient } from './database-client.js';
import type { ColumnKind } from './values.js';

export interface PostgresConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string | undefined;
  tls: { mode: 'off' | 'verify'; caFile?: string | undefined };
}

const oids = { date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, timetz: 1266 };
const textTypes = new Set<number>(Object.values(oids));
const kindsByOid = new Map<number, ColumnKind>([
  [oids.timestamp, 'timestamp'],
  [oids.timestamptz, 'timestamptz'],
]);

/** Date and time types as the server's text (a JS Date would drop microseconds and break paging); int8 stays text. */
const keepText = (value: string) => value;
const builtIn = pg.types.getTypeParser as (
  oid: number,
  format: 'text' | 'binary',
) => (value: string) => unknown;
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    textTypes.has(oid) ? keepText : builtIn(oid, format ?? 'text'),
};

/** Where and how to log in (shared by capture sessions and the logical replication connection). */
export function postgresClientConfig(connection: PostgresConnection): pg.ClientConfig {
  return {
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    ...(connection.password !== undefined ? { password: connection.password } : {}),
    ...(connection.tls.mode === 'verify'
      ? {
          // rejectUnauthorized explicitly: NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment must not turn checks off
          ssl: {
            rejectUnauthorized: true,
            ...(connection.tls.caFile ? { ca: readFileSync(connection.tls.caFile) } : {}),
          },
        }
      : {}),
    application_name: 'integration-agent',
    keepAlive: true,
  };
}

export function postgresConnector(connection: PostgresConnection): ConnectClient {
  return async (options: ClientOptions): Promise<DatabaseClient> => {
    const client = new pg.Client({
      ...postgresClientConfig(connection),
      connectionTimeoutMillis: options.queryTimeoutMs,
      statement_timeout: options.queryTimeoutMs,
      query_timeout: options.queryTimeoutMs + 1000, // client-side backstop when the server does not answer at all
      options: `-c TimeZone=UTC${options.readOnly ? ' -c default_transaction_read_only=on' : ''}`,
      types,
    });
    let broken: Error | undefined;
    client.on('error', (error) => (broken = error)); // a lost connection: reported by the next query
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return {
      async query(sql, params) {
        if (broken) throw broken;
        const result = await client.query({ text: sql, values: [...params] });
        const kinds = new Map<string, ColumnKind>();
        for (const field of result.fields) {
          const kind = kindsByOid.get(field.dataTypeID);
          if (kind) kinds.set(field.name, kind);
        }
        return { rows: result.rows as Record<string, unknown>[], kinds };
      },
      async execute(sql) {
        if (broken) throw broken;
        await client.query(sql);
      },
      async close() {
        await client.end().catch(() => undefined);
      },
    };
  };
}
