// Commits without fsync run with synchronous NORMAL and always leave the outbox on its configured mode.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { commitWithoutFsync } from '../../../main/outbox/relaxed-commit.js';
import { batch, change, leaseKeys, outboxHarness } from './outbox-fixture.js';

const h = outboxHarness();
const mode = (db: Database.Database) => db.pragma('synchronous', { simple: true });

describe('commits without fsync', () => {
  it('runs the work with NORMAL and restores FULL afterwards, also when the work throws', () => {
    const { outbox } = h.setup();
    expect(mode(outbox.db)).toBe(2);
    expect(commitWithoutFsync(outbox.db, () => mode(outbox.db))).toBe(1);
    expect(mode(outbox.db)).toBe(2);
    expect(() =>
      commitWithoutFsync(outbox.db, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(mode(outbox.db)).toBe(2);
    outbox.enqueue('conn-a', batch([change('k1')]));
    expect(leaseKeys(outbox).records).toHaveLength(1);
    expect(mode(outbox.db)).toBe(2);
  });

  it('commits checkpoint-only bookkeeping without fsync, and batches with changes always with it', () => {
    const { outbox } = h.setup();
    const switches: string[] = [];
    // The switches are prepared once per connection (pragma-statements.ts): record each run of them.
    const prepare = outbox.db.prepare.bind(outbox.db);
    outbox.db.prepare = ((source: string) => {
      const statement = prepare(source);
      if (source.startsWith('PRAGMA synchronous =')) {
        const run = statement.run.bind(statement);
        statement.run = (...args: unknown[]) => {
          switches.push(source.slice('PRAGMA '.length));
          return run(...args);
        };
      }
      return statement;
    }) as typeof outbox.db.prepare;
    outbox.enqueue('conn-a', { changes: [], checkpoints: [{ key: 'f', value: 'done' }], bookkeeping: true });
    expect(switches).toEqual(['synchronous = NORMAL', 'synchronous = FULL']);
    outbox.enqueue('conn-a', { ...batch([change('k2')]), bookkeeping: true });
    outbox.enqueue('conn-a', { changes: [], checkpoints: [{ key: 'g', value: 'x' }] });
    expect(switches).toHaveLength(2);
    expect(outbox.checkpoints('conn-a').get('f')).toBe('done');
  });

  it('leaves an outbox that runs NORMAL on NORMAL', () => {
    const db = new Database(':memory:');
    db.pragma('synchronous = NORMAL');
    expect(commitWithoutFsync(db, () => mode(db))).toBe(1);
    expect(mode(db)).toBe(1);
    db.close();
  });
});
