// Batch statements: any number of rows in power-of-two chunks, results in order, bad input refused, failures whole.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchStatement, MultiRowInsert } from '../../../main/outbox/chunked-statement.js';

let db: Database.Database;

beforeEach(() => {
  db = new Database(':memory:');
  db.exec(
    "CREATE TABLE t (id INTEGER PRIMARY KEY, tag TEXT NOT NULL, label TEXT NOT NULL CHECK (label <> 'bad')) STRICT",
  );
});
afterEach(() => db.close());

const insert = () => new MultiRowInsert(db, 't (id, tag, label)', '(?, @tag, ?)', 2);
const rows = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => [from + i, `row ${from + i}`]).flat();

describe('batch statements', () => {
  it('writes every row of batches of any size, shared values bound once, with at most seven statements', () => {
    const statement = insert();
    let next = 1;
    for (const size of [0, 1, 63, 64, 65, 127, 200]) {
      statement.run(rows(size, next), { tag: `batch of ${size}` });
      next += size;
    }
    const stored = db.prepare('SELECT id, tag, label FROM t ORDER BY id').all() as {
      id: number;
      tag: string;
      label: string;
    }[];
    expect(stored).toHaveLength(next - 1);
    expect(stored.map((r) => r.id)).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
    expect(stored.every((r) => r.label === `row ${r.id}`)).toBe(true);
    expect(stored.filter((r) => r.tag === 'batch of 200')).toHaveLength(200);
    expect(
      (statement as unknown as { statements: Map<number, unknown> }).statements.size,
    ).toBeLessThanOrEqual(7);
  });

  it('a lookup returns the rows of every chunk, in chunk order', () => {
    insert().run(rows(300), { tag: 'x' });
    const lookup = new BatchStatement(
      db,
      (ids) =>
        `WITH batch (id) AS (${ids}) SELECT t.id, t.label FROM batch CROSS JOIN t WHERE t.id = batch.id`,
    );
    const wanted = Array.from({ length: 150 }, (_, i) => 2 * i + 1).concat([999]);
    const found = lookup.all(wanted);
    expect(found).toHaveLength(150);
    expect(found.map(([id]) => id)).toEqual(wanted.slice(0, 150));
    expect(found[3]).toEqual([7, 'row 7']);
  });

  it('refuses values that do not make whole rows, before writing any', () => {
    expect(() => insert().run([1, 'one', 2], { tag: 'x' })).toThrow('3 values do not make rows of 2');
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
  });

  it('a row that breaks a constraint fails the statement, and the transaction around it keeps nothing', () => {
    const statement = insert();
    const values = rows(100);
    values[2 * 70 + 1] = 'bad';
    expect(() => db.transaction(() => statement.run(values, { tag: 'x' }))()).toThrow(
      /CHECK constraint failed/,
    );
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
  });
});
