// Builds the capture SQL per dialect: keyset pages over (watermark, key), key lookups, the delete-log pages.
import { normalizeQuery } from './config.js';
import { quoteIdentifier, quoteTable, type Dialect } from './identifiers.js';

export interface CaptureSpec {
  dialect: Dialect;
  /** Table mode. */
  table?: string | undefined;
  /** Table mode: ["*"] or the columns to send. */
  columns: string[];
  /** Query mode: the user's SELECT, run as a subquery. */
  query?: string | undefined;
  watermark?: { column: string; type: 'timestamp' | 'integer' } | undefined;
  primaryKey: string[];
  /** `$1, $2…` (the pg driver) or `?` (every other driver, ODBC's PostgreSQL driver too); default: by dialect. */
  placeholders?: 'numbered' | 'question' | undefined;
}

export interface Sql {
  text: string;
  params: unknown[];
}

/** The table every delete trigger writes to (in the captured table's schema). */
export const deleteLogTable = 'integration_agent_deleted_rows';

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly numbered: boolean) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.numbered ? `$${this.values.length}` : '?';
  }
}

/** `SELECT <columns> <rest>` cut to `limit` rows: LIMIT, TOP (SQL Server, Access) or FETCH FIRST (Oracle 12c+). */
function firstRows(dialect: Dialect, columns: string, rest: string, limit: number): string {
  const n = Math.trunc(limit);
  if (dialect === 'mssql') return `SELECT TOP (${n}) ${columns} ${rest}`;
  if (dialect === 'access') return `SELECT TOP ${n} ${columns} ${rest}`;
  if (dialect === 'oracle') return `SELECT ${columns} ${rest} FETCH FIRST ${n} ROWS ONLY`;
  return `SELECT ${columns} ${rest} LIMIT ${n}`;
}

export class SqlBuilder {
  /** The columns pages are ordered by: the watermark, then the key columns (without repeating the watermark). */
  readonly orderColumns: string[];
  private readonly from: string;
  private readonly select: string;

  constructor(private readonly spec: CaptureSpec) {
    const q = (name: string) => this.quote(name);
    this.orderColumns = [
      ...new Set([...(spec.watermark ? [spec.watermark.column] : []), ...spec.primaryKey]),
    ];
    // In query mode the newline before ")" ends a trailing -- comment of the user's SELECT.
    this.from = spec.table
      ? quoteTable(spec.dialect, spec.table)
      : `(${normalizeQuery(spec.query ?? '')}\n)${spec.dialect === 'oracle' ? '' : ' AS'} src`; // Oracle: no AS
    this.select =
      spec.table && !spec.columns.includes('*')
        ? [...new Set([...spec.columns, ...this.orderColumns])].map(q).join(', ')
        : '*';
  }

  private params(): Params {
    const { dialect, placeholders } = this.spec;
    return new Params((placeholders ?? (dialect === 'postgres' ? 'numbered' : 'question')) === 'numbered');
  }

  quote(name: string): string {
    return quoteIdentifier(this.spec.dialect, name);
  }

  /**
   * One page in (watermark, key) order: rows with watermark ≥ `atLeast` (the overlap re-read), or rows after
   * `after` (values of orderColumns, the last row of the previous page), or from the start.
   */
  page(limit: number, position: { after?: unknown[]; atLeast?: unknown }): Sql {
    const params = this.params();
    const where: string[] = [];
    const first = this.orderColumns[0];
    if (position.atLeast !== undefined && this.spec.watermark) {
      where.push(`${this.quote(this.spec.watermark.column)} >= ${params.add(position.atLeast)}`);
    }
    if (position.atLeast === undefined && !position.after && this.spec.watermark) {
      where.push(`${this.quote(this.spec.watermark.column)} IS NOT NULL`); // rows without a watermark are never captured
    }
    if (position.after && first !== undefined) {
      // The leading ≥ lets the database use an index on the first column; the rest is the exact tuple comparison.
      where.push(`${this.quote(first)} >= ${params.add(position.after[0])}`);
      where.push(this.after(position.after, params));
    }
    const order = this.orderColumns.map((c) => `${this.quote(c)} ASC`).join(', ');
    return {
      text: firstRows(
        this.spec.dialect,
        this.select,
        `FROM ${this.from}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}`,
        limit,
      ),
      params: params.values,
    };
  }

  /** Which of these keys (values of primaryKey) still exist: selects their key columns. */
  existing(keys: readonly unknown[][]): Sql {
    return this.keyLookup(keys, (column) => column);
  }

  /**
   * Which of these keys, as the delete trigger wrote them (each value cast to text), exist now: selects the key
   * columns cast to text the same way, as k0, k1, ….
   */
  presentKeys(keys: readonly string[][]): Sql {
    const { dialect } = this.spec;
    return this.keyLookup(keys, (column, i) =>
      dialect === 'postgres'
        ? `${column}::text AS k${i}`
        : `CAST(${column} AS ${dialect === 'mysql' ? 'CHAR' : 'TEXT'}) AS k${i}`,
    );
  }

  private keyLookup(keys: readonly unknown[][], select: (column: string, i: number) => string): Sql {
    const params = this.params();
    const columns = this.spec.primaryKey.map((c) => this.quote(c));
    const match =
      columns.length === 1
        ? `${columns[0]} IN (${keys.map((k) => params.add(k[0])).join(', ')})`
        : keys
            .map((k) => `(${columns.map((c, i) => `${c} = ${params.add(k[i])}`).join(' AND ')})`)
            .join(' OR ');
    return {
      text: `SELECT ${columns.map(select).join(', ')} FROM ${this.from} WHERE ${match}`,
      params: params.values,
    };
  }

  /** Delete-log entries of the captured table after log id `afterId`, oldest first. */
  deletedRows(afterId: string, limit: number): Sql {
    const params = this.params();
    const table = this.spec.table ?? '';
    const schema = table.includes('.') ? `${table.split('.')[0] ?? ''}.` : '';
    const log = quoteTable(this.spec.dialect, `${schema}${deleteLogTable}`);
    const id = this.spec.dialect === 'mysql' ? 'CAST(id AS CHAR) AS id' : 'CAST(id AS TEXT) AS id';
    return {
      text: firstRows(
        this.spec.dialect,
        `${id}, pk`,
        `FROM ${log} WHERE table_name = ${params.add(table.split('.').pop())}` +
          ` AND id > ${params.add(afterId)} ORDER BY id ASC`,
        limit,
      ),
      params: params.values,
    };
  }

  /** (c1, c2, …) > (v1, v2, …) spelled out, which every dialect plans well. */
  private after(values: unknown[], params: Params): string {
    const columns = this.orderColumns.map((c) => this.quote(c));
    const branches = columns.map((column, i) => {
      const equal = columns.slice(0, i).map((c, j) => `${c} = ${params.add(values[j])}`);
      return [...equal, `${column} > ${params.add(values[i])}`].join(' AND ');
    });
    return `(${branches.map((b) => `(${b})`).join(' OR ')})`;
  }
}
