// Schema migrations: each step keeps existing data, re-running is a no-op, newer files are refused untouched.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, NewerSchemaError, schemaVersion } from '../../../main/outbox/migrate.js';
import {
  currentSchemaVersion,
  outboxMigrations,
  type Migration,
} from '../../../main/outbox/migrations/index.js';
import { Outbox } from '../../../main/outbox/outbox.js';
import { useTempDir } from '../../support/temp-dir.js';
import { defaultOptions, testClock } from './outbox-fixture.js';

const tempDir = useTempDir();

function rawDb(name = 'outbox.db') {
  const db = new Database(path.join(tempDir(), name));
  db.pragma('foreign_keys = ON');
  return db;
}

function tables(db: Database.Database): string[] {
  return db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all() as string[];
}

function schemaSql(db: Database.Database): string[] {
  return db
    .prepare(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name`)
    .pluck()
    .all() as string[];
}

const insertRecord = `INSERT INTO records (connection, idempotency_key, ordering_key, business_key, content_type, payload, size,
  origin, created_at, state, blocked, next_attempt_at) VALUES (?, ?, 'ok-1', 'INV-1', 'application/json', ?, ?, NULL, 1000, ?, 0, 1000)`;

/** Schema 6 and later: the payload goes into record_payloads. */
const insertRecordWithoutPayload = `INSERT INTO records (connection, idempotency_key, ordering_key, business_key, content_type, size,
  origin, created_at, state, blocked, next_attempt_at) VALUES (?, ?, 'ok-1', 'INV-1', 'application/json', ?, NULL, 1000, ?, 0, 1000)`;

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('outbox migrations', () => {
  it('the migration list is numbered 1..n without gaps and the current version is its length', () => {
    expect(outboxMigrations.map((m) => m.version)).toEqual(outboxMigrations.map((_, i) => i + 1));
    expect(currentSchemaVersion).toBe(outboxMigrations.length);
    expect(currentSchemaVersion).toBeGreaterThanOrEqual(2);
  });

  it('migration 1 creates records and checkpoints on an empty file', () => {
    const db = rawDb();
    expect(migrate(db, outboxMigrations, 0)).toEqual([]);
    expect(schemaVersion(db)).toBe(0);

    expect(migrate(db, outboxMigrations, 1)).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['checkpoints', 'records']);

    const payload = Buffer.from('{"a":1}');
    db.prepare(insertRecord).run('c', 'k1', payload, payload.length, 'pending');
    expect(() => db.prepare(insertRecord).run('c', 'k1', payload, payload.length, 'pending')).toThrow(
      /UNIQUE/,
    );
    // Same key on another connection is a different record.
    db.prepare(insertRecord).run('other', 'k1', payload, payload.length, 'pending');
    expect(() => db.prepare(insertRecord).run('c', 'k2', payload, payload.length, 'bogus')).toThrow(/CHECK/);
    // STRICT: a payload must be a blob, not text.
    expect(() => db.prepare(insertRecord).run('c', 'k3', 'text', 4, 'pending')).toThrow(/BLOB/);
    db.prepare('INSERT INTO checkpoints (source, key, value, updated_at) VALUES (?, ?, ?, ?)').run(
      'c',
      'pos',
      '42',
      1,
    );
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(2);
    db.close();
  });

  it('migration 2 adds timeline events and the audit log, keeping version-1 data intact', () => {
    const db = rawDb();
    migrate(db, outboxMigrations, 1);
    const payload = Buffer.from('{"invoice":"INV-1"}');
    const id = db.prepare(insertRecord).run('c', 'k1', payload, payload.length, 'pending').lastInsertRowid;
    db.prepare(insertRecord).run('c', 'k2', payload, payload.length, 'dead');
    db.prepare('INSERT INTO checkpoints (source, key, value, updated_at) VALUES (?, ?, ?, ?)').run(
      'c',
      'pos',
      '42',
      1,
    );

    expect(migrate(db, outboxMigrations, 2)).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toEqual(['audit_log', 'checkpoints', 'record_events', 'records']);

    // Seeded rows untouched.
    const row = db.prepare('SELECT payload, state, idempotency_key FROM records WHERE id = ?').get(id) as {
      payload: Buffer;
      state: string;
      idempotency_key: string;
    };
    expect(row.payload.equals(payload)).toBe(true);
    expect(row.state).toBe('pending');
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(2);
    expect(db.prepare(`SELECT value FROM checkpoints WHERE source = 'c' AND key = 'pos'`).pluck().get()).toBe(
      '42',
    );

    // The new schema works: events reference records (FK enforced, cascading on delete), audit log accepts entries.
    db.prepare(
      `INSERT INTO record_events (record_id, at, kind, detail) VALUES (?, 2000, 'attempt', '{}')`,
    ).run(id);
    expect(() =>
      db.prepare(`INSERT INTO record_events (record_id, at, kind) VALUES (9999, 2000, 'attempt')`).run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(
      `INSERT INTO audit_log (at, actor, action, target, detail) VALUES (1, 'cli', 'x', NULL, NULL)`,
    ).run();
    db.prepare('DELETE FROM records WHERE id = ?').run(id);
    expect(db.prepare('SELECT count(*) FROM record_events').pluck().get()).toBe(0);
    db.close();
  });

  it('migration 3 re-keys the open-records index on settled_at, keeping data and the head-of-key lookups', () => {
    const db = rawDb();
    migrate(db, outboxMigrations, 2);
    const payload = Buffer.from('x');
    const insert = db.prepare(insertRecord);
    insert.run('c', 'open-pending', payload, 1, 'pending');
    insert.run('c', 'open-leased', payload, 1, 'leased');
    const settled = insert.run('c', 'delivered', payload, 1, 'delivered').lastInsertRowid;
    db.prepare('UPDATE records SET settled_at = 5000 WHERE id = ?').run(settled);

    expect(migrate(db, outboxMigrations, 3)).toEqual([3]);
    expect(schemaVersion(db)).toBe(3);
    const indexSql = db
      .prepare(`SELECT sql FROM sqlite_master WHERE name = 'records_open_by_ordering_key'`)
      .pluck()
      .get() as string;
    expect(indexSql).toContain('WHERE settled_at IS NULL');
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(3);
    // The index holds exactly the open records, and the head-of-key lookups still search it.
    const open = db
      .prepare(
        `SELECT idempotency_key FROM records INDEXED BY records_open_by_ordering_key
         WHERE connection = 'c' AND ordering_key = 'ok-1' AND settled_at IS NULL ORDER BY id`,
      )
      .pluck()
      .all();
    expect(open).toEqual(['open-pending', 'open-leased']);
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT 1 FROM records WHERE connection = 'c' AND ordering_key = 'ok-1' AND settled_at IS NULL`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('records_open_by_ordering_key');
    db.close();
  });

  it('migration 6 moves every payload to record_payloads byte for byte and marks the compacted records', () => {
    const db = rawDb();
    migrate(db, outboxMigrations, 5);
    const insert = db.prepare(insertRecord);
    const payloads = new Map<number, Buffer>();
    const states = ['pending', 'leased', 'dead', 'delivered', 'discarded'] as const;
    for (const [n, state] of states.entries()) {
      const payload = crypto.randomBytes(n === 0 ? 0 : 700 * n); // empty, and past a page with overflow
      const id = Number(insert.run('c', `kept-${state}`, payload, payload.length, state).lastInsertRowid);
      payloads.set(id, payload);
    }
    const compacted = Number(insert.run('c', 'compacted', null, 5, 'delivered').lastInsertRowid);
    db.prepare('UPDATE records SET settled_at = 4000 WHERE id = ?').run(compacted);
    db.prepare(
      "UPDATE records SET settled_at = 3000 WHERE state IN ('dead', 'delivered', 'discarded') AND id != ?",
    ).run(compacted);

    expect(migrate(db, outboxMigrations, 6)).toEqual([6]);
    expect(tables(db)).toContain('record_payloads');
    const columns = (db.pragma('table_info(records)') as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('payload');
    const moved = db.prepare('SELECT record_id, payload FROM record_payloads ORDER BY record_id').all() as {
      record_id: number;
      payload: Buffer;
    }[];
    expect(moved.map((r) => r.record_id)).toEqual([...payloads.keys()]);
    for (const row of moved) expect(row.payload.equals(payloads.get(row.record_id)!)).toBe(true);
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(states.length + 1);
    expect(db.prepare('SELECT id, compacted_at FROM records WHERE compacted_at IS NOT NULL').all()).toEqual([
      { id: compacted, compacted_at: 4000 },
    ]);

    // Compaction finds exactly the settled records whose payload is kept, through the redefined index.
    const compactable = `SELECT id FROM records WHERE compacted_at IS NULL AND state IN ('delivered', 'discarded')
      AND settled_at < 5000`;
    expect(db.prepare(compactable).pluck().all()).toEqual([4, 5]);
    const planOf = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(planOf(compactable)).toContain('records_compactable');
    // Removal finds the compacted ones through their own index: a settle adds to one settled-record index only.
    const removable = `SELECT id FROM records WHERE compacted_at IS NOT NULL AND state IN ('delivered', 'discarded')
      AND settled_at < 5000`;
    expect(db.prepare(removable).pluck().all()).toEqual([compacted]);
    expect(planOf(removable)).toContain('records_compacted');
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'records_expirable'").get(),
    ).toBeUndefined();
    // A removed record takes its payload row with it.
    db.prepare('DELETE FROM records WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM record_payloads WHERE record_id = 1').pluck().get()).toBe(0);
    expect(() =>
      db.prepare("INSERT INTO record_payloads (record_id, payload) VALUES (9999, x'00')").run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('migration 6 runs on an outbox filled to its size cap (the copy needs room once), and leaves the cap set', () => {
    const db = rawDb();
    migrate(db, outboxMigrations, 5);
    const insert = db.prepare(insertRecord);
    db.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run('c', `k${i}`, crypto.randomBytes(1024), 1024, 'pending');
    })();
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`); // full: one more page would fail with SQLITE_FULL
    expect(() => insert.run('c', 'one-more', crypto.randomBytes(4096), 4096, 'pending')).toThrow(/full/);

    expect(migrate(db, outboxMigrations, 6)).toEqual([6]);
    expect(db.prepare('SELECT count(*) FROM record_payloads').pluck().get()).toBe(200);
    const after = db.pragma('page_count', { simple: true }) as number;
    expect(db.pragma('max_page_count', { simple: true })).toBe(Math.max(pages, after));
    db.close();
  });

  it('an outbox migrated step by step ends with the same schema as one migrated at once, and opens with its data', () => {
    const stepwise = rawDb('stepwise.db');
    for (let v = 1; v <= currentSchemaVersion; v++) migrate(stepwise, outboxMigrations, v);
    const atOnce = rawDb('at-once.db');
    expect(migrate(atOnce, outboxMigrations)).toEqual(outboxMigrations.map((m) => m.version));
    expect(schemaSql(stepwise)).toEqual(schemaSql(atOnce));
    atOnce.close();

    const payload = Buffer.from('x'.repeat(10));
    const id = stepwise
      .prepare(insertRecordWithoutPayload)
      .run('c', 'k1', payload.length, 'pending').lastInsertRowid;
    stepwise.prepare('INSERT INTO record_payloads (record_id, payload) VALUES (?, ?)').run(id, payload);
    stepwise.close();
    const outbox = Outbox.open(path.join(tempDir(), 'stepwise.db'), defaultOptions, testClock());
    try {
      expect(outbox.counts('c')).toEqual({ pending: 1, pendingBytes: 10, dead: 0 });
      expect(
        outbox
          .lease({ connection: 'c', max: 10, maxBytes: 1e9, leaseMs: 1000 })
          .records.map((r) => r.idempotencyKey),
      ).toEqual(['k1']);
    } finally {
      outbox.close();
    }
  });

  it('migrating an up-to-date database again is a no-op', () => {
    const db = rawDb();
    migrate(db, outboxMigrations);
    const before = schemaSql(db);
    expect(migrate(db, outboxMigrations)).toEqual([]);
    expect(migrate(db, outboxMigrations, 1)).toEqual([]); // never goes down either
    expect(schemaVersion(db)).toBe(currentSchemaVersion);
    expect(schemaSql(db)).toEqual(before);
    db.close();
  });

  it('resumes from where a previous run stopped', () => {
    const db = rawDb();
    migrate(db, outboxMigrations, 1);
    expect(migrate(db, outboxMigrations)).toEqual(outboxMigrations.slice(1).map((m) => m.version));
    expect(schemaVersion(db)).toBe(currentSchemaVersion);
    db.close();
  });

  it('refuses a database written by a newer agent, naming both versions and saying nothing changed', () => {
    const db = rawDb();
    migrate(db, outboxMigrations);
    const newer = currentSchemaVersion + 3;
    db.pragma(`user_version = ${newer}`);
    const before = schemaSql(db);
    let error: unknown;
    try {
      migrate(db, outboxMigrations);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NewerSchemaError);
    const e = error as NewerSchemaError;
    expect(e.found).toBe(newer);
    expect(e.supported).toBe(currentSchemaVersion);
    expect(e.message).toContain(`version ${newer}`);
    expect(e.message).toContain(`version ${currentSchemaVersion}`);
    expect(e.message).toMatch(/nothing in the file was changed/);
    expect(schemaVersion(db)).toBe(newer);
    expect(schemaSql(db)).toEqual(before);
    db.close();
  });

  it('Outbox.open on a newer file throws NewerSchemaError and leaves the file in place, byte for byte', () => {
    const file = path.join(tempDir(), 'outbox.db');
    const db = new Database(file); // default rollback journal, as an unknown newer agent might leave it
    db.exec('CREATE TABLE future_things (x INTEGER)');
    db.pragma(`user_version = ${currentSchemaVersion + 1}`);
    db.close();
    const hash = sha256(file);

    expect(() => Outbox.open(file, defaultOptions, testClock())).toThrow(NewerSchemaError);
    expect(() => Outbox.open(file, defaultOptions, testClock())).toThrow(/nothing in the file was changed/);
    expect(fs.readdirSync(tempDir()).filter((n) => n.includes('corrupt'))).toEqual([]);
    expect(fs.existsSync(file)).toBe(true);
    expect(sha256(file)).toBe(hash);
  });

  it('a failing migration rolls back its own transaction and leaves user_version at the previous value', () => {
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        db.exec(`INSERT INTO records (connection) VALUES ('missing columns')`); // NOT NULL constraint fails
      },
    };
    const list = [outboxMigrations[0]!, broken];
    const db = rawDb();
    const payload = Buffer.from('p');
    migrate(db, list, 1);
    db.prepare(insertRecord).run('c', 'k1', payload, 1, 'pending');

    expect(() => migrate(db, list)).toThrow(/NOT NULL/);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half_done');
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(1);

    // Once the migration is fixed it applies cleanly on top.
    expect(migrate(db, outboxMigrations)).toEqual(outboxMigrations.slice(1).map((m) => m.version));
    expect(schemaVersion(db)).toBe(currentSchemaVersion);
    db.close();
  });

  it('rejects a migration list with a gap before touching the database', () => {
    const db = rawDb();
    const gap: Migration[] = [outboxMigrations[0]!, { ...outboxMigrations[1]!, version: 3 }];
    expect(() => migrate(db, gap)).toThrow(/position 2 holds version 3/);
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });
});
