// Statements over many rows per run (inserts, lookups of a batch's keys): the outbox's way to handle a batch at once.
import type { Database, Statement } from 'better-sqlite3';

/**
 * Rows per statement at most. A batch is cut into power-of-two chunks (64, 32, …, 1 rows), so at most seven
 * statements are prepared per use, each on first use.
 */
const MAX_ROWS = 64;

/** `rows` copies of a VALUES tuple. */
function tuples(row: string, rows: number): string {
  return Array.from({ length: rows }, () => row).join(', ');
}

/**
 * Each statement run costs a fixed part besides its rows: the call into the driver, opening and closing the VM's
 * cursors, the halt, the result object. For a 1,000-record enqueue that part was about a tenth of the work (callgrind).
 * Values go in as bound parameters: a JSON array read by json_each cost about as much again to write and parse.
 */
export class ChunkedStatement {
  private readonly statements = new Map<number, Statement>();

  /** `sql(rows)`: the statement for `rows` rows of `width` per-row `?` values (and any `@name` shared ones). */
  constructor(
    private readonly db: Database,
    private readonly sql: (rows: number) => string,
    private readonly width: number,
  ) {}

  /** `values`: every row's per-row values, one row after the other; `shared`: the `@name` values. */
  run(values: readonly unknown[], shared: Record<string, unknown> = {}): void {
    this.each(values, (statement, chunk) => void statement.run(shared, ...chunk));
  }

  /** The result rows of every chunk, as arrays (raw mode), in chunk order. */
  all(values: readonly unknown[], shared: Record<string, unknown> = {}): unknown[][] {
    const rows: unknown[][] = [];
    this.each(values, (statement, chunk) => {
      for (const row of statement.all(shared, ...chunk) as unknown[][]) rows.push(row);
    });
    return rows;
  }

  private each(values: readonly unknown[], use: (statement: Statement, chunk: unknown[]) => void): void {
    if (values.length % this.width !== 0)
      throw new Error(`${values.length} values do not make rows of ${this.width}`);
    const rows = values.length / this.width;
    let at = 0;
    for (let size = MAX_ROWS; size >= 1; size >>= 1) {
      for (; rows - at >= size; at += size) {
        use(this.statement(size), values.slice(at * this.width, (at + size) * this.width));
      }
    }
  }

  /** The SQL run for a chunk of `rows` rows (for EXPLAIN). */
  sqlFor(rows: number): string {
    return this.sql(rows);
  }

  private statement(rows: number): Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      statement = this.db.prepare(this.sqlFor(rows));
      if (statement.reader) statement.raw();
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

/** An INSERT of many rows per run. */
export class MultiRowInsert extends ChunkedStatement {
  /**
   * `into`: the table and its columns, `t (a, b, c)`; `row`: one row's VALUES tuple with `?` for each of its `width`
   * per-row values and `@name` for values every row shares (bound once per run); `tail`: a clause after the VALUES
   * list (an upsert). OR FAIL: a row that breaks a constraint stops the statement without undoing its earlier rows,
   * so SQLite needs no statement journal (a copy of every page the statement changes; 8,000 instructions per record
   * of an enqueue); the caller's transaction then rolls back whole.
   */
  constructor(db: Database, into: string, row: string, width: number, tail = '') {
    super(db, (rows) => `INSERT OR FAIL INTO ${into} VALUES ${tuples(row, rows)} ${tail}`, width);
  }
}

/**
 * A statement over a batch given as a VALUES list (a lookup, an UPDATE … FROM): `sql(values)` puts the list, `VALUES
 * (?, …), …` with `width` values per row, where the statement reads the batch from.
 */
export class BatchStatement extends ChunkedStatement {
  constructor(db: Database, sql: (values: string) => string, width = 1) {
    const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    super(db, (rows) => sql(`VALUES ${tuples(row, rows)}`), width);
  }
}
