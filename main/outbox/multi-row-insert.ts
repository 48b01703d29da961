// An INSERT of many rows per statement run: the outbox's way to write a batch without one statement per row.
import type { Database, Statement } from 'better-sqlite3';

/**
 * Rows per statement at most. A batch is cut into power-of-two chunks (64, 32, …, 1 rows), so at most seven
 * statements are prepared per insert, each on first use.
 */
const MAX_ROWS = 64;

/**
 * Each statement run costs a fixed part besides its rows: the call into the driver, opening and closing the VM's
 * cursors, the halt, the result object. For a 1,000-record enqueue that part was about a tenth of the work (callgrind).
 */
export class MultiRowInsert {
  private readonly statements = new Map<number, Statement>();

  /**
   * `into`: the table and its columns, `t (a, b, c)`; `row`: one row's VALUES tuple with `?` for each of its `width` per-row values
   * and `@name` for values every row shares (bound once per run); `tail`: a clause after the VALUES list (an upsert).
   */
  constructor(
    private readonly db: Database,
    private readonly into: string,
    private readonly row: string,
    private readonly width: number,
    private readonly tail = '',
  ) {}

  /** `values`: every row's per-row values, one row after the other; `shared`: the `@name` values. */
  run(values: readonly unknown[], shared: Record<string, unknown> = {}): void {
    if (values.length % this.width !== 0)
      throw new Error(`${values.length} values do not make rows of ${this.width}`);
    const rows = values.length / this.width;
    let at = 0;
    for (let size = MAX_ROWS; size >= 1; size >>= 1) {
      for (; rows - at >= size; at += size) {
        this.statement(size).run(shared, ...values.slice(at * this.width, (at + size) * this.width));
      }
    }
  }

  private statement(rows: number): Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      const tuples = Array.from({ length: rows }, () => this.row).join(', ');
      // OR FAIL: a row that breaks a constraint stops the statement without undoing its earlier rows, so SQLite needs
      // no statement journal (a copy of every page the statement changes); the caller's transaction rolls back whole.
      statement = this.db.prepare(`INSERT OR FAIL INTO ${this.into} VALUES ${tuples} ${this.tail}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
