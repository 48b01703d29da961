// SQL identifiers from the config: validated against a strict pattern, then quoted per dialect (no injection).

/** The SQL flavour capture writes: the native sources' three, and those ODBC drivers may speak (see odbc-dialect.ts). */
export type Dialect = 'sqlite' | 'postgres' | 'mysql' | 'mssql' | 'oracle' | 'access';

/** Letters, digits, `_` and `$`, starting with a letter or `_`, at most 63 characters (PostgreSQL's limit). */
export const identifierPattern = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** Why `name` is not accepted as a column name, or undefined when it is fine. */
export function identifierProblem(name: string): string | undefined {
  if (identifierPattern.test(name)) return undefined;
  if (name === '') return 'is empty';
  if (name.length > 63) return `is ${name.length} characters long, over the limit of 63`;
  return `"${name.slice(0, 63)}" is not a plain SQL identifier (letters, digits, _ and $, starting with a letter or _)`;
}

/** Why `name` is not accepted as a table name (`table` or `schema.table`), or undefined when it is fine. */
export function tableNameProblem(name: string): string | undefined {
  const parts = name.split('.');
  if (parts.length > 2) return `"${name.slice(0, 130)}" has more than one "." (write table or schema.table)`;
  for (const part of parts) {
    const problem = identifierProblem(part);
    if (problem) return problem;
  }
  return undefined;
}

export const identifierFix =
  'use the plain name as the database stores it (case matters: it is quoted); for a view or a column with other ' +
  'characters, use query mode and rename it with AS in your SELECT';

/** Quotes one validated identifier; throws for anything the pattern does not allow (defence in depth). */
export function quoteIdentifier(dialect: Dialect, name: string): string {
  if (!identifierPattern.test(name))
    throw new Error(`refusing to quote the identifier ${JSON.stringify(name)}`);
  if (dialect === 'mysql') return `\`${name}\``;
  return dialect === 'mssql' || dialect === 'access' ? `[${name}]` : `"${name}"`;
}

/** Quotes `table` or `schema.table`. */
export function quoteTable(dialect: Dialect, name: string): string {
  return name
    .split('.')
    .map((part) => quoteIdentifier(dialect, part))
    .join('.');
}
