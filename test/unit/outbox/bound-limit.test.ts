// boundLimit: a LIMIT written as an expression limits exactly like a bound `LIMIT ?`, for every value a caller passes.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { boundLimit } from '../../../main/outbox/bound-limit.js';

describe('boundLimit', () => {
  it('gives the rows, and the errors, that LIMIT ? gives', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
    for (let id = 1; id <= 20; id++) insert.run(id);
    const plain = db.prepare('SELECT id FROM t ORDER BY id LIMIT ?').pluck();
    const bound = db.prepare(`SELECT id FROM t ORDER BY id LIMIT ${boundLimit('?')}`).pluck();
    const outcome = (statement: Database.Statement, limit: unknown) => {
      try {
        return statement.all(limit);
      } catch (error) {
        return (error as Error).message;
      }
    };
    for (const limit of [0, 1, 7, 20, 500, -1, 3n, 1.5, 'x', null]) {
      expect(outcome(bound, limit), `LIMIT ${String(limit)}`).toEqual(outcome(plain, limit));
    }
    expect(bound.all(7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    db.close();
  });
});
