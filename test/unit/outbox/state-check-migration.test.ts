// Migration 10: the records' state CHECK as comparisons: same states accepted, rows kept, no temp b-tree per write.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../main/outbox/migrate.js';
import { outboxMigrations } from '../../../main/outbox/migrations/index.js';
import { Outbox } from '../../../main/outbox/outbox.js';
import { useTempDir } from '../../support/temp-dir.js';
import { batch, change, defaultOptions, delivered, testClock } from './outbox-fixture.js';

const tempDir = useTempDir();

const insert = `INSERT INTO records (connection, idempotency_key, ordering_key, content_type, size, created_at, state,
  next_attempt_at) VALUES ('c', ?, 'o', 'application/json', 1, 1000, ?, 1000)`;

/** How many temp b-trees a statement builds when it runs (the IN list of the old CHECK needed one). */
function ephemeralTables(db: Database.Database, sql: string, parameters: unknown[]): number {
  const program = db.prepare(`EXPLAIN ${sql}`).all(...parameters) as { opcode: string }[];
  return program.filter((op) => op.opcode === 'OpenEphemeral').length;
}

function atVersion(version: number): Database.Database {
  const db = new Database(path.join(tempDir(), 'outbox.db'));
  migrate(db, outboxMigrations, version);
  return db;
}

describe('outbox migration 10 (state CHECK without a list)', () => {
  it('keeps every row and accepts exactly the states it accepted before', () => {
    const db = atVersion(9);
    const states = ['pending', 'leased', 'delivered', 'dead', 'discarded'];
    states.forEach((state, i) => db.prepare(insert).run(`before-${i}`, state));
    expect(ephemeralTables(db, insert, ['k', 'pending'])).toBe(1);

    migrate(db, outboxMigrations, 10);
    expect(schemaVersion(db)).toBe(10);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT idempotency_key, state FROM records ORDER BY id').all()).toEqual(
      states.map((state, i) => ({ idempotency_key: `before-${i}`, state })),
    );
    // The connection that migrated parses the new schema at once; so does a new one.
    expect(ephemeralTables(db, insert, ['k', 'pending'])).toBe(0);
    states.forEach((state, i) => db.prepare(insert).run(`after-${i}`, state));
    for (const wrong of ['sent', 'PENDING', '']) {
      expect(() => db.prepare(insert).run(`bad-${wrong}`, wrong)).toThrow(/CHECK constraint failed/);
    }
    expect(() => db.prepare(`UPDATE records SET state = 'done' WHERE id = 1`).run()).toThrow(
      /CHECK constraint failed/,
    );
    db.close();
    const again = new Database(path.join(tempDir(), 'outbox.db'));
    expect(ephemeralTables(again, insert, ['k', 'pending'])).toBe(0);
    again.close();
  });

  it('the outbox writes records without a temp b-tree, and leases and settles as before', () => {
    const outbox = Outbox.open(path.join(tempDir(), 'fresh.db'), defaultOptions, testClock());
    try {
      const capture = outbox.db
        .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'records'`)
        .pluck()
        .get() as string;
      expect(capture).toContain("CHECK (state = 'pending' OR state = 'leased'");
      expect(capture).not.toContain('state IN (');
      outbox.enqueue('c', batch([change('k1'), change('k2')]));
      const lease = outbox.lease({ connection: 'c', max: 10, maxBytes: 1e9, leaseMs: 1000 });
      expect(lease.records.map((r) => r.idempotencyKey)).toEqual(['k1']); // one ordering key: its head only
      outbox.settle(
        lease.token,
        lease.records.map((r) => delivered(r, 1)),
      );
      expect(outbox.counts('c')).toMatchObject({ pending: 1, dead: 0 });
    } finally {
      outbox.close();
    }
  });

  it('refuses an outbox whose records table lost the CHECK migration 1 wrote, and leaves it at version 9', () => {
    const db = atVersion(9);
    const sql = db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'records'`).pluck().get() as string;
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare(`UPDATE sqlite_schema SET sql = ? WHERE name = 'records'`).run(
      sql.replace(/CHECK \(state IN \([^)]*\)\)/, ''),
    );
    db.pragma(`schema_version = ${(db.pragma('schema_version', { simple: true }) as number) + 1}`);
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
    expect(() => migrate(db, outboxMigrations)).toThrow(/does not carry the state CHECK.*outbox salvage/);
    expect(schemaVersion(db)).toBe(9);
    db.close();
  });
});
