// Config schemas of the database sources (sqlite, postgres, mysql, odbc): what to read, how to page, deletes, timeouts.
import { z } from 'zod';
import { secretRefSchema } from '../../core/secret-ref.js';
import { identifierFix, identifierProblem, tableNameProblem } from './identifiers.js';

const minute = 60_000;

/** The user's SELECT without surrounding blanks and a trailing ";", ready to be wrapped as a subquery. */
export function normalizeQuery(query: string): string {
  return query.replace(/\s*;\s*$/, '').trim();
}

/** Why a user-written SELECT cannot be wrapped as a subquery, or undefined when it can. */
export function queryProblem(query: string): string | undefined {
  const text = normalizeQuery(query);
  if (!/^(select|with)\b/i.test(text)) return 'must be a single SELECT (or WITH … SELECT) statement';
  if (text.includes(';')) return 'contains ";": only one statement is allowed';
  return undefined;
}

const identifierCheck = (allowStar: boolean) => (name: string, ctx: z.RefinementCtx) => {
  const problem = allowStar && name === '*' ? undefined : identifierProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { fix: identifierFix } });
};

const columnName = z
  .string()
  .superRefine(identifierCheck(false))
  .describe('A column name, as the database stores it');

const watermarkSchema = z
  .strictObject({
    column: columnName.describe(
      'Column that grows with every insert and update, e.g. updated_at or a version',
    ),
    type: z
      .enum(['timestamp', 'integer'])
      .default('timestamp')
      .describe(
        'timestamp: a date-time column (updated_at); integer: an increasing number (an id for insert-only tables, a row version)',
      ),
  })
  .describe('The column that tells which rows changed since the last poll');

const deletesSchema = z
  .strictObject({
    mode: z
      .enum(['none', 'reconcile', 'trigger'])
      .default('none')
      .describe(
        'none: deletes are not captured; reconcile: every reconcileIntervalMs the keys captured so far are looked up and the missing ones become delete events; trigger: a delete trigger (installed with `integration-agent capture install-triggers`) logs deletes into a table the source reads',
      ),
    reconcileIntervalMs: z
      .int()
      .min(1000)
      .default(10 * minute)
      .describe('reconcile mode: how often the captured keys are compared with the table'),
    chunkSize: z
      .int()
      .min(1)
      .max(10_000)
      .default(1000)
      .describe('reconcile mode: how many keys one lookup query checks'),
  })
  .describe('Whether and how deleted rows are captured');

export const retrySchema = z
  .strictObject({
    baseMs: z.int().min(10).default(1000).describe('First wait after a failed connection or query'),
    capMs: z
      .int()
      .min(10)
      .default(60_000)
      .describe('Longest wait between attempts (the wait doubles up to this)'),
  })
  .describe('Backoff after a lost connection or a failed query; capture resumes where it stopped');

/** What to read and how to page through it: shared by every database source type. */
const captureShape = {
  table: z
    .string()
    .superRefine((name, ctx) => {
      const problem = tableNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { fix: identifierFix } });
    })
    .optional()
    .describe('Table mode: the table (or schema.table) to capture'),
  columns: z
    .array(z.string().superRefine(identifierCheck(true)).describe('A column name, or "*" for all columns'))
    .min(1)
    .default(['*'])
    .describe('Table mode: the columns to send, or ["*"] for all; key and watermark columns are always read'),
  query: z
    .string()
    .superRefine((query, ctx) => {
      const problem = queryProblem(query);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          message: problem,
          params: { fix: 'write one SELECT without a trailing statement; it is run as a subquery' },
        });
      }
    })
    .optional()
    .describe('Query mode: a SELECT whose result rows are captured (it is wrapped as a subquery for paging)'),
  watermark: watermarkSchema
    .optional()
    .describe(
      'Absent: every poll reads the whole table and sends rows whose content changed (row hash); fine for small tables only',
    ),
  primaryKey: z
    .array(columnName)
    .min(1)
    .describe('Columns that identify a row; they break ties between rows with the same watermark'),
  businessKey: columnName.optional().describe('Column shown as the business key in search (order number, …)'),
  batchSize: z
    .int()
    .min(1)
    .max(50_000)
    .default(500)
    .describe('Rows per page; each page is stored in one transaction'),
  pollIntervalMs: z.int().min(100).default(5000).describe('Wait between polls once capture has caught up'),
  queryTimeoutMs: z.int().min(100).default(30_000).describe('Longest time any one database call may take'),
  overlapMs: z
    .int()
    .min(0)
    .default(minute)
    .describe(
      'timestamp watermark: each poll re-reads rows this far behind the newest watermark seen, so rows of transactions that commit late are still captured (repeats are dropped by key)',
    ),
  overlapValues: z
    .int()
    .min(0)
    .default(1000)
    .describe(
      'integer watermark: each poll re-reads this many values behind the newest one seen (late commits)',
    ),
  deletes: deletesSchema.prefault({}),
  retry: retrySchema.prefault({}),
};

type CaptureFields = {
  table?: string | undefined;
  columns: string[];
  query?: string | undefined;
  primaryKey: string[];
  deletes: { mode: string };
};

function checkCapture(source: CaptureFields, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string, fix: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message, params: { fix } });
  if ((source.table === undefined) === (source.query === undefined)) {
    issue(
      source.table === undefined ? 'table' : 'query',
      source.table === undefined ? 'neither table nor query is set' : 'both table and query are set',
      'set table (table mode) or query (query mode), not both',
    );
  }
  if (source.query !== undefined && !(source.columns.length === 1 && source.columns[0] === '*')) {
    issue('columns', 'columns only applies to table mode', 'choose the columns in your SELECT instead');
  }
  if (source.columns.includes('*') && source.columns.length > 1) {
    issue('columns', '"*" cannot be combined with column names', 'write ["*"] or a list of column names');
  }
  if (new Set(source.primaryKey).size !== source.primaryKey.length) {
    issue('primaryKey', 'a column is listed twice', 'list each key column once');
  }
  if (source.deletes.mode === 'trigger' && source.table === undefined) {
    issue(
      'deletes',
      'trigger mode needs table mode',
      'set table, or use deletes.mode reconcile with a query',
    );
  }
}

export const networkShape = {
  host: z.string().min(1).describe('Database server host name or address'),
  database: z.string().min(1).describe('Database name'),
  user: z
    .string()
    .min(1)
    .describe('Login; a read-only account is recommended (see docs/database-capture.md)'),
  password: secretRefSchema.optional().describe('Password of the login, from the secret store'),
  tls: z
    .strictObject({
      mode: z
        .enum(['off', 'verify'])
        .optional()
        .describe(
          "off: plain connection; verify: TLS with the server's certificate and host name verified. " +
            'Default: verify for a server on another machine, off for one on this machine',
        ),
      caFile: z
        .string()
        .min(1)
        .optional()
        .describe('PEM file with the CA that signed the server certificate'),
    })
    .prefault({})
    .describe('Encryption of the database connection'),
};

export const sqliteSourceSchema = z
  .strictObject({
    type: z.literal('sqlite'),
    file: z.string().min(1).describe('The SQLite database file; it is opened read-only'),
    ...captureShape,
  })
  .superRefine(checkCapture)
  .describe('Captures changed rows from a SQLite database file (read-only)');

export const postgresSourceSchema = z
  .strictObject({
    type: z.literal('postgres'),
    mode: z
      .literal('poll')
      .optional()
      .describe(
        'poll (default): read changed rows by query; logical: read the write-ahead log (see docs/logical-decoding.md)',
      ),
    ...networkShape,
    port: z.int().min(1).max(65535).default(5432).describe('Server port'),
    ...captureShape,
  })
  .superRefine(checkCapture)
  .describe('Captures changed rows from a PostgreSQL table or query');

export const mysqlSourceSchema = z
  .strictObject({
    type: z.literal('mysql'),
    ...networkShape,
    port: z.int().min(1).max(65535).default(3306).describe('Server port'),
    ...captureShape,
  })
  .superRefine(checkCapture)
  .describe('Captures changed rows from a MySQL or MariaDB table or query');

export const odbcDialects = ['postgres', 'mysql', 'sqlite', 'mssql', 'oracle', 'access'] as const;

/** Keys of a connection string that hold a password: those come from the secret store instead. */
export const passwordKeys = /(?:^|;)\s*(pwd|password|pass)\s*=/i;

const plainValue = (what: string) =>
  z
    .string()
    .min(1)
    .refine((value) => !/[;{}=\r\n]/.test(value), {
      error: `${what} cannot hold ; { } = or a line break`,
    });

export const odbcSourceSchema = z
  .strictObject({
    type: z.literal('odbc'),
    dsn: plainValue('a DSN name')
      .optional()
      .describe('A data source name set up in odbc.ini or the Windows "ODBC Data Sources" tool'),
    connectionString: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A DSN-less connection string, e.g. Driver={PostgreSQL Unicode};Server=db;Port=5432;Database=erp (no password: see password)',
      ),
    user: plainValue('the login')
      .optional()
      .describe('Login, sent as UID (a read-only account is recommended); or put UID in the string or DSN'),
    password: secretRefSchema.optional().describe('Password of the login from the secret store, sent as PWD'),
    dialect: z
      .enum(odbcDialects)
      .optional()
      .describe(
        "The SQL the driver speaks; default: found from the driver's name, else by asking the server (docs/odbc-sources.md)",
      ),
    connectTimeoutMs: z
      .int()
      .min(100)
      .default(15_000)
      .describe('Longest time connecting and logging in may take'),
    ...captureShape,
  })
  .superRefine((source, ctx) => {
    const issue = (path: string, message: string, fix: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message, params: { fix } });
    if ((source.dsn === undefined) === (source.connectionString === undefined)) {
      issue(
        source.dsn === undefined ? 'dsn' : 'connectionString',
        source.dsn === undefined
          ? 'neither dsn nor connectionString is set'
          : 'both dsn and connectionString are set',
        'set dsn (a configured data source) or connectionString (Driver=…;Server=…), not both',
      );
    }
    if (source.connectionString !== undefined && passwordKeys.test(source.connectionString)) {
      issue(
        'connectionString',
        'holds a password (PWD=…): config files must not contain secrets',
        'remove PWD from the string, store it with `integration-agent secrets set NAME`, and set password: { secretRef: NAME }',
      );
    }
    if (source.dialect === 'access' && source.deletes.mode === 'trigger') {
      issue(
        'deletes',
        'Access files are read through mdbtools, which cannot create triggers',
        'use deletes.mode reconcile',
      );
    }
    checkCapture(source, ctx);
  })
  .describe('Captures changed rows from any database with an ODBC driver (SQL Server, Oracle, Access, …)');

export type SqliteSourceConfig = z.output<typeof sqliteSourceSchema>;
export type PostgresSourceConfig = z.output<typeof postgresSourceSchema>;
export type MysqlSourceConfig = z.output<typeof mysqlSourceSchema>;
export type OdbcSourceConfig = z.output<typeof odbcSourceSchema>;
export type DatabaseSourceConfig =
  SqliteSourceConfig | PostgresSourceConfig | MysqlSourceConfig | OdbcSourceConfig;
