// Which SQL dialect an ODBC connection speaks: from the driver's name, else by asking the server who it is.
import type { Dialect } from './identifiers.js';

/** Driver or DBMS names → dialect (SQL_DBMS_NAME values and the usual driver names on Linux and Windows). */
const byName: readonly [RegExp, Dialect][] = [
  [/postgre|psqlodbc/i, 'postgres'],
  [/maria|mysql/i, 'mysql'],
  [/sqlite/i, 'sqlite'],
  [/sql server|sqlncli|msodbcsql|freetds|\btds/i, 'mssql'],
  [/oracle|sqora|instant ?client/i, 'oracle'],
  [/mdbtools|access|\.mdb\b|\.accdb\b|\bace\b|\bjet\b/i, 'access'],
];

/** The dialect a driver or DBMS name points at, or undefined. */
export function dialectOfName(name: string | undefined): Dialect | undefined {
  if (name === undefined || name.trim() === '') return undefined;
  return byName.find(([pattern]) => pattern.test(name))?.[1];
}

/** The `Driver=` of a connection string (braces removed), or undefined. */
export function driverOf(connectionString: string): string | undefined {
  const match = /(?:^|;)\s*driver\s*=\s*(\{(?:[^}]|\}\})*\}|[^;]*)/i.exec(connectionString);
  const value = match?.[1]?.trim();
  if (!value) return undefined;
  return value.startsWith('{') ? value.slice(1, -1).replace(/\}\}/g, '}') : value;
}

/** Queries that only one kind of server answers, and what the answer means. */
const probes: readonly { sql: string; dialect(answer: string): Dialect | undefined }[] = [
  { sql: 'SELECT sqlite_version() AS v', dialect: () => 'sqlite' },
  {
    sql: 'SELECT version() AS v',
    dialect: (v) => (/postgres/i.test(v) ? 'postgres' : /maria|^\d+\.\d+/i.test(v) ? 'mysql' : undefined),
  },
  { sql: 'SELECT @@VERSION AS v', dialect: (v) => (/microsoft sql server/i.test(v) ? 'mssql' : undefined) },
  { sql: 'SELECT banner AS v FROM v$version', dialect: (v) => (/oracle/i.test(v) ? 'oracle' : undefined) },
];

/** Asks the server; undefined when no probe is answered in a known way. */
export async function probeDialect(
  query: (sql: string) => Promise<Record<string, unknown>[]>,
): Promise<Dialect | undefined> {
  for (const probe of probes) {
    try {
      const rows = await query(probe.sql);
      const answer = Object.values(rows[0] ?? {})[0];
      const dialect = probe.dialect(typeof answer === 'string' ? answer : '');
      if (dialect) return dialect;
    } catch {
      // not this kind of server
    }
  }
  return undefined;
}

export const dialectFix =
  'set dialect on the source (postgres, mysql, sqlite, mssql, oracle or access; see docs/odbc-sources.md)';
