// The small driver interface the database source needs, and plain-words descriptions of driver errors.
import type { Dialect } from './identifiers.js';
import type { ColumnKind } from './values.js';

export interface QueryResult {
  rows: Record<string, unknown>[];
  /** Columns whose JSON mapping depends on their type (timestamps); others are absent. */
  kinds: Map<string, ColumnKind>;
}

/** One open session. Capture sessions are read-only; every call has a timeout and throws the database's error. */
export interface DatabaseClient {
  /** Set by clients whose SQL flavour is found once connected (ODBC); native clients speak their source's type. */
  readonly syntax?: { dialect: Dialect; placeholders: 'numbered' | 'question' } | undefined;
  query(sql: string, params: readonly unknown[]): Promise<QueryResult>;
  /** Runs statements that change the schema (install/uninstall triggers); only on a session opened writable. */
  execute(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface ClientOptions {
  queryTimeoutMs: number;
  /** Capture sessions are read-only; the trigger installer needs a writable one. */
  readOnly: boolean;
}

/** Opens a session; each source keeps one and opens a new one after any failure. */
export type ConnectClient = (options: ClientOptions) => Promise<DatabaseClient>;

interface DriverError {
  message?: unknown;
  code?: unknown;
  errno?: unknown;
}

const hints: Record<string, string> = {
  // PostgreSQL SQLSTATE codes
  '28P01': 'check the user and the password secret (integration-agent secrets set …)',
  '28000': 'allow this user and client address in pg_hba.conf',
  '3D000': 'check the database name',
  '42P01': 'check the table name (it is case-sensitive) and that the user can see its schema',
  '42703':
    'check the column names in watermark, primaryKey, columns and businessKey (they are case-sensitive)',
  '42501': 'grant the capture user SELECT on the table (see docs/database-capture.md)',
  '57014':
    'the query ran longer than queryTimeoutMs: add an index on the watermark and key columns, or raise it',
  '57P01': 'the server was shut down or restarted; capture resumes once it is back',
  // MySQL / MariaDB error codes
  ER_ACCESS_DENIED_ERROR: 'check the user and the password secret (integration-agent secrets set …)',
  ER_BAD_DB_ERROR: 'check the database name',
  ER_NO_SUCH_TABLE: 'check the table name',
  ER_BAD_FIELD_ERROR: 'check the column names in watermark, primaryKey, columns and businessKey',
  ER_TABLEACCESS_DENIED_ERROR: 'grant the capture user SELECT on the table (see docs/database-capture.md)',
  PROTOCOL_SEQUENCE_TIMEOUT: 'the query ran longer than queryTimeoutMs: add an index or raise it',
  'errno 1969': 'the query ran longer than queryTimeoutMs: add an index or raise it', // MariaDB max_statement_time
  ER_QUERY_TIMEOUT: 'the query ran longer than queryTimeoutMs: add an index or raise it',
  // Sockets
  ECONNREFUSED: 'check that the database server runs and listens on this host and port',
  ENOTFOUND: 'check the host name',
  ETIMEDOUT: 'check the host, the port and any firewall in between',
  // SQLite
  SQLITE_CANTOPEN: 'check the file path and that the agent may read the file and its folder',
  SQLITE_BUSY: 'another program holds a lock on the file for longer than queryTimeoutMs',
  SQLITE_NOTADB: 'the file is not a SQLite database: check the path',
};

/** The database's own message, plus what to do about it when the error is a well-known one. */
export function describeDatabaseError(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  const code =
    typeof e.code === 'string' ? e.code : typeof e.errno === 'number' ? `errno ${e.errno}` : undefined;
  const hint = code === undefined ? undefined : hints[code];
  // pg: "The server does not support SSL connections"; mysql2: HANDSHAKE_NO_SSL_SUPPORT
  if (/does not support SSL|HANDSHAKE_NO_SSL_SUPPORT/i.test(`${message} ${code ?? ''}`))
    return (
      `${message}. Fix: the server offers no TLS; enable TLS on the server, or set tls.mode: off on the source to ` +
      `connect unencrypted (status then says so)`
    );
  if (message.includes('no such table')) return `${message}. Fix: ${hints['ER_NO_SUCH_TABLE'] ?? ''}`;
  if (message.includes('no such column')) return `${message}. Fix: ${hints['ER_BAD_FIELD_ERROR'] ?? ''}`;
  return hint ? `${message}${code && !message.includes(code) ? ` (${code})` : ''}. Fix: ${hint}` : message;
}
