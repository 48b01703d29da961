// SQLite capture against real database files: inserts, updates, same-timestamp bursts, deletes (both modes), errors.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteConnector } from '../../../../connectors/sources/database/sqlite-client.js';
import { triggerSql } from '../../../../connectors/sources/database/trigger-sql.js';
import { runCapture, type CaptureRun } from '../../../support/database-capture.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'db-sqlite-' });
const runs: CaptureRun[] = [];
const writers: Database.Database[] = [];

afterEach(async () => {
  for (const run of runs.splice(0)) await run.close();
  for (const db of writers.splice(0)) db.close();
});

function createDatabase(): { file: string; db: Database.Database } {
  const file = join(tempDir(), 'erp.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE orders (
    id INTEGER PRIMARY KEY, order_no TEXT NOT NULL, amount REAL, big INTEGER, doc BLOB, updated_at TEXT NOT NULL)`);
  writers.push(db);
  return { file, db };
}

const insert = (db: Database.Database, id: number, at: string, orderNo = `A-${id}`) =>
  db
    .prepare('INSERT INTO orders (id, order_no, amount, big, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, orderNo, id * 1.5, 9007199254740993n, Buffer.from([1, 2, id]), at);

async function capture(source: Record<string, unknown>): Promise<CaptureRun> {
  const run = await runCapture(source, { dataDir: tempDir() });
  runs.push(run);
  return run;
}

const base = (file: string) => ({
  type: 'sqlite',
  file,
  table: 'orders',
  watermark: { column: 'updated_at' },
  primaryKey: ['id'],
  businessKey: 'order_no',
  pollIntervalMs: 100,
});

describe('SQLite capture', () => {
  it('captures inserts and updates once each, as JSON with exact integers, base64 blobs and the business key', async () => {
    const { file, db } = createDatabase();
    insert(db, 1, '2024-05-01T10:00:00.000Z');
    insert(db, 2, '2024-05-01T10:00:01.000Z');
    const run = await capture(base(file));
    await run.waitFor(() => run.records().length === 2, 'two inserts');
    db.prepare("UPDATE orders SET amount = 99, updated_at = '2024-05-01T10:00:05.000Z' WHERE id = 1").run();
    await run.waitFor(() => run.records().length === 3, 'the update');
    await new Promise((resolve) => setTimeout(resolve, 400)); // several more polls: nothing is captured twice
    const records = run.records();
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.payload['id'])).toEqual(['1', '2', '1']);
    expect(records[0]?.payload).toEqual({
      id: '1',
      order_no: 'A-1',
      amount: 1.5,
      big: '9007199254740993',
      doc: Buffer.from([1, 2, 1]).toString('base64'),
      updated_at: '2024-05-01T10:00:00.000Z',
    });
    expect(records[2]?.payload['amount']).toBe(99);
    expect(records[0]?.businessKey).toBe('A-1');
    expect(records[0]?.contentType).toBe('application/json');
    expect(records[0]?.orderingKey).toBe(records[2]?.orderingKey); // updates of one row stay in order
    expect(records[0]?.key).not.toBe(records[2]?.key);
    expect(records[0]?.origin).toEqual({ table: 'orders', pk: '["1"]', op: 'upsert' });
    const health = run.source.health();
    expect(health.state).toBe('running');
    expect(health.mode).toBe('table orders, watermark updated_at');
    expect(health.guarantee).toContain('every committed insert and update of table orders');
    expect(health.lastCaptureAt).toBeGreaterThan(0);
  });

  it('does not skip rows of a same-timestamp burst larger than the batch size, and resumes after a restart', async () => {
    const { file, db } = createDatabase();
    const burst = db.transaction(() => {
      for (let id = 1; id <= 53; id += 1) insert(db, id, '2024-05-01T10:00:00.000Z');
    });
    burst();
    const run = await capture({ ...base(file), batchSize: 7 });
    await run.waitFor(() => run.records().length === 53, 'all 53 rows of the burst');
    await run.stopSource();
    insert(db, 54, '2024-05-01T10:00:00.000Z');
    const again = await runCapture(
      { ...base(file), batchSize: 7 },
      { dataDir: tempDir(), outbox: run.outbox },
    );
    runs.push(again);
    await again.waitFor(() => again.records().length === 54, 'the row added while stopped');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = again.records().map((r) => Number(r.payload['id']));
    expect(ids).toHaveLength(54);
    expect(new Set(ids).size).toBe(54);
  });

  it('turns deleted rows into delete events by reconciliation', async () => {
    const { file, db } = createDatabase();
    for (let id = 1; id <= 30; id += 1)
      insert(db, id, `2024-05-01T10:00:${String(id).padStart(2, '0')}.000Z`);
    const run = await capture({
      ...base(file),
      batchSize: 8,
      deletes: { mode: 'reconcile', reconcileIntervalMs: 1000, chunkSize: 4 },
    });
    await run.waitFor(() => run.upserts().length === 30, 'the 30 rows');
    db.prepare('DELETE FROM orders WHERE id IN (3, 17, 30)').run();
    await run.waitFor(() => run.deletes().length === 3, 'three delete events', 8000);
    const deletes = run.deletes();
    expect(
      deletes.map((d) => d.payload).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([
      { op: 'delete', pk: { id: 17 } },
      { op: 'delete', pk: { id: 3 } },
      { op: 'delete', pk: { id: 30 } },
    ]);
    const upsertOf3 = run.upserts().find((r) => r.payload['id'] === '3');
    expect(deletes.find((d) => d.origin['pk'] === '["3"]')?.orderingKey).toBe(upsertOf3?.orderingKey);
    expect(run.source.health().guarantee).toContain('deletes via reconciliation every 1 s');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // another pass: no repeats
    expect(run.deletes()).toHaveLength(3);
  });

  it('reads deletes from the log the installed trigger writes', async () => {
    const { file, db } = createDatabase();
    for (let id = 1; id <= 5; id += 1) insert(db, id, `2024-05-01T10:00:0${id}.000Z`);
    const admin = await sqliteConnector(file)({ queryTimeoutMs: 1000, readOnly: false });
    for (const statement of triggerSql({ dialect: 'sqlite', table: 'orders', primaryKey: ['id'] }).install) {
      await admin.execute(statement);
    }
    await admin.close();
    const run = await capture({ ...base(file), deletes: { mode: 'trigger' } });
    await run.waitFor(() => run.upserts().length === 5, 'the rows');
    db.prepare('DELETE FROM orders WHERE id IN (2, 4)').run();
    await run.waitFor(() => run.deletes().length === 2, 'two delete events');
    expect(run.deletes().map((d) => d.payload)).toEqual([
      { op: 'delete', pk: { id: '2' } },
      { op: 'delete', pk: { id: '4' } },
    ]);
    expect(run.deletes()[0]?.orderingKey).toBe(run.upserts()[1]?.orderingKey);
  });

  it('captures query results and, without a watermark, rows whose content changed', async () => {
    const { file, db } = createDatabase();
    insert(db, 1, '2024-05-01T10:00:00.000Z');
    insert(db, 2, '2024-05-01T10:00:00.000Z');
    const run = await capture({
      type: 'sqlite',
      file,
      query: 'SELECT id AS order_id, order_no, amount * 2 AS doubled FROM orders WHERE amount > 1;',
      primaryKey: ['order_id'],
      pollIntervalMs: 100,
    });
    await run.waitFor(() => run.records().length === 2, 'both rows');
    db.prepare('UPDATE orders SET amount = 10 WHERE id = 2').run();
    await run.waitFor(() => run.records().length === 3, 'the changed row');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(run.records().map((r) => r.payload)).toEqual([
      { order_id: '1', order_no: 'A-1', doubled: 3 },
      { order_id: '2', order_no: 'A-2', doubled: 6 },
      { order_id: '2', order_no: 'A-2', doubled: 20 },
    ]);
    expect(run.source.health().mode).toBe('query, full scan with row hashes');
  });

  it('stops polling while paused (backpressure) and catches up on resume', async () => {
    const { file, db } = createDatabase();
    insert(db, 1, '2024-05-01T10:00:00.000Z');
    const run = await capture(base(file));
    await run.waitFor(() => run.records().length === 1, 'the first row');
    run.source.pause('outbox is over its cap');
    expect(run.source.health()).toMatchObject({ state: 'paused', detail: 'outbox is over its cap' });
    insert(db, 2, '2024-05-01T10:00:01.000Z');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(run.records()).toHaveLength(1);
    run.source.resume();
    await run.waitFor(() => run.records().length === 2, 'the row inserted while paused');
    expect(run.source.health().state).toBe('running');
  });

  it('reports a missing file as degraded with the reason and recovers once the file exists', async () => {
    const file = join(tempDir(), 'later.db');
    const run = await capture({ ...base(file), retry: { baseMs: 50, capMs: 100 } });
    await run.waitFor(() => run.source.health().state === 'degraded', 'degraded');
    expect(run.source.health().detail).toMatch(/^SQLite file .*later\.db: .*Fix: check the file path/);
    const db = new Database(file);
    writers.push(db);
    db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, order_no TEXT, updated_at TEXT)');
    db.prepare("INSERT INTO orders VALUES (1, 'A-1', '2024-05-01T10:00:00Z')").run();
    await run.waitFor(() => run.records().length === 1, 'the row after recovery');
    expect(run.source.health().state).toBe('running');
  });
});
