// ODBC errors in plain words: the driver's own messages, its SQLSTATE, and what to do for the well-known ones.
import { odbcInstallHint } from './odbc-module.js';

interface OdbcDiagnostic {
  message?: unknown;
  state?: unknown;
  code?: unknown;
}

/** SQLSTATE (or message pattern) → fix, for the errors people hit when setting up an ODBC source. */
const hints: readonly [RegExp, string][] = [
  [
    /IM002|data source name not found/i,
    'no DSN of that name exists: check the name against the list "Test connection" shows (odbcinst -q -s), or use a connection string',
  ],
  [
    /can't open lib|IM003|specified driver could not be loaded/i,
    'the ODBC driver named in the connection string is not installed: check Driver= against the list "Test ' +
      `connection" shows (odbcinst -q -d), or install the driver; if the driver manager itself is missing: ${odbcInstallHint}`,
  ],
  [/28000|28P01|access denied|authentication failed|login failed/i, 'check the user and the password secret'],
  [
    /08001|08S01|could not connect|can't connect|connection refused|server.*not.*(found|running)/i,
    'check that the database server runs and listens on the host and port of the connection string',
  ],
  [
    /HYT00|HYT01|57014|statement timeout|timeout expired|max_statement_time/i,
    'the call ran longer than its limit: add an index on the watermark and key columns, or raise queryTimeoutMs',
  ],
  [
    /42S02|42P01|no such table|doesn't exist|not found.*table|invalid object name/i,
    'check the table name (it is quoted, so case matters)',
  ],
  [/42S22|42703|no such column|unknown column|invalid column name/i, 'check the column names (case matters)'],
];

/** An ODBC failure as one Error whose message ends in ". Fix: …" when the cause is a known one. */
export function odbcError(error: unknown, doing: string): Error {
  const diagnostics = (error as { odbcErrors?: OdbcDiagnostic[] } | undefined)?.odbcErrors ?? [];
  const texts = diagnostics
    .map(
      (d) =>
        `${typeof d.message === 'string' ? d.message : ''}${typeof d.state === 'string' ? ` (SQLSTATE ${d.state})` : ''}`,
    )
    .filter((text) => text !== '');
  const base = error instanceof Error ? error.message.replace(/^\[odbc\]\s*/, '') : String(error);
  const message = `${doing}: ${texts.length > 0 ? texts.join('; ') : base}`;
  const hint = hints.find(([pattern]) => pattern.test(message))?.[1];
  return new Error(hint ? `${message}. Fix: ${hint}` : message, { cause: error });
}

/** A call that did not come back in time (the driver ignored its own timeout, or the network hangs). */
export class OdbcTimeout extends Error {}

export function odbcTimeout(doing: string, ms: number): OdbcTimeout {
  return new OdbcTimeout(
    `${doing}: the ODBC driver did not answer within ${ms} ms. Fix: check that the server is reachable and not ` +
      'overloaded (a firewall that drops packets makes calls hang), or raise the timeout (connectTimeoutMs, queryTimeoutMs)',
  );
}
