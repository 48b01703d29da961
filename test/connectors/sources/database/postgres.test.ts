// PostgreSQL 15 capture against a real server: types, bursts, late commits, deletes, restart mid-poll, errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  installTriggersCommand,
  uninstallTriggersCommand,
} from '../../../../main/commands/capture-triggers-command.js';
import { runCapture, type CaptureRun } from '../../../support/database-capture.js';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { createTestPki, type TestPki } from '../../../support/test-ca.js';

const tempDir = useTempDir({ prefix: 'db-pg-' });
let server: PostgresServer;
let pki: TestPki;
const runs: CaptureRun[] = [];
let tables = 0;

beforeAll(async () => {
  pki = createTestPki();
  server = await startPostgres({ tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile } });
});
afterAll(async () => {
  await server?.stop();
  pki?.remove();
});
afterEach(async () => {
  for (const run of runs.splice(0)) await run.close();
});

async function newTable(): Promise<string> {
  tables += 1;
  const table = `orders_${tables}`;
  await server.query(`CREATE TABLE ${table} (
    id bigint PRIMARY KEY, order_no text NOT NULL, amount numeric(12, 2), tags jsonb, doc bytea, shipped date,
    paid boolean, updated_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await server.query(`CREATE INDEX ${table}_changes ON ${table} (updated_at, id)`);
  return table;
}

async function capture(source: Record<string, unknown>, password = server.password): Promise<CaptureRun> {
  const run = await runCapture(
    {
      type: 'postgres',
      host: server.host,
      port: server.port,
      database: server.database,
      user: server.user,
      password: { secretRef: 'pg-password' },
      watermark: { column: 'updated_at' },
      primaryKey: ['id'],
      pollIntervalMs: 100,
      retry: { baseMs: 100, capMs: 400 },
      ...source,
    },
    { dataDir: tempDir(), secrets: { 'pg-password': password } },
  );
  runs.push(run);
  return run;
}

const ids = (run: CaptureRun) => run.upserts().map((r) => Number(r.payload['id']));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL capture', () => {
  it('captures inserts and updates with exact types: int8 and numeric as text, µs timestamps, jsonb, bytea', async () => {
    const table = await newTable();
    await server.query(
      `INSERT INTO ${table} (id, order_no, amount, tags, doc, shipped, paid, updated_at) VALUES
       (9007199254740993, 'A-1', 12.50, '{"rush": true}', '\\x0102ff', '2024-05-02', true, '2024-05-01 10:00:00.123456+00')`,
    );
    const run = await capture({ table, businessKey: 'order_no' });
    await run.waitFor(() => run.records().length === 1, 'the insert');
    await server.query(`UPDATE ${table} SET paid = false, updated_at = '2024-05-01 10:00:00.123457+00'`);
    await run.waitFor(() => run.records().length === 2, 'the update one microsecond later');
    const [first, second] = run.records();
    expect(first?.payload).toEqual({
      id: '9007199254740993',
      order_no: 'A-1',
      amount: '12.50',
      tags: { rush: true },
      doc: Buffer.from([1, 2, 255]).toString('base64'),
      shipped: '2024-05-02',
      paid: true,
      updated_at: '2024-05-01T10:00:00.123456Z',
    });
    expect(second?.payload['updated_at']).toBe('2024-05-01T10:00:00.123457Z');
    expect(first?.businessKey).toBe('A-1');
    expect(first?.orderingKey).toBe(`${table}:["9007199254740993"]`);
    await sleep(300);
    expect(run.records()).toHaveLength(2);
    const health = run.source.health();
    expect(health.state).toBe('running');
    expect(health.guarantee).toContain('commits up to 1 min after its updated_at time is still captured');
    expect(health.lagMs).toBeLessThan(5000); // caught up: the lag is the age of the last complete poll
  });

  it('pages through a same-timestamp burst larger than the batch size without skipping or repeating rows', async () => {
    const table = await newTable();
    await server.query(
      `INSERT INTO ${table} (id, order_no, updated_at)
       SELECT g, 'B-' || g, '2024-05-01 10:00:00+00' FROM generate_series(1, 1250) g`,
    );
    const run = await capture({ table, batchSize: 100 });
    await run.waitFor(() => run.count() === 1250, 'all 1250 rows');
    await sleep(300);
    expect(new Set(ids(run)).size).toBe(1250);
    expect(run.records()).toHaveLength(1250);
  });

  it('captures a row whose transaction commits late, within the overlap window', async () => {
    const table = await newTable();
    const run = await capture({ table, overlapMs: 30_000 });
    const late = await server.connect();
    try {
      await late.query('BEGIN');
      await late.query(`INSERT INTO ${table} (id, order_no, updated_at) VALUES (1, 'late', now())`);
      await sleep(50);
      await server.query(`INSERT INTO ${table} (id, order_no) VALUES (2, 'early')`);
      await run.waitFor(() => run.records().length === 1, 'the newer row');
      await sleep(250); // more polls pass the newer row's watermark
      await late.query('COMMIT');
    } finally {
      await late.end();
    }
    await run.waitFor(() => run.records().length === 2, 'the late row');
    expect(run.records().map((r) => r.payload['order_no'])).toEqual(['early', 'late']);
  });

  it('misses a late commit when the overlap window is 0, as the guarantee says', async () => {
    const table = await newTable();
    const run = await capture({ table, overlapMs: 0 });
    expect(run.source.health().guarantee).toContain('missed (overlapMs is 0)');
    const late = await server.connect();
    try {
      await late.query('BEGIN');
      await late.query(`INSERT INTO ${table} (id, order_no, updated_at) VALUES (1, 'late', now())`);
      await sleep(50);
      await server.query(`INSERT INTO ${table} (id, order_no) VALUES (2, 'early')`);
      await run.waitFor(() => run.records().length === 1, 'the newer row');
      await late.query('COMMIT');
    } finally {
      await late.end();
    }
    await sleep(500);
    expect(run.records().map((r) => r.payload['order_no'])).toEqual(['early']);
  });

  it('turns deleted rows of a composite key into delete events by reconciliation', async () => {
    await server.query(`CREATE TABLE stock (site text, sku int, qty int, updated_at timestamptz DEFAULT clock_timestamp(),
      PRIMARY KEY (site, sku))`);
    await server.query(`INSERT INTO stock (site, sku, qty) SELECT s, g, g FROM unnest(ARRAY['north', 'south']) s,
      generate_series(1, 40) g`);
    const run = await capture({
      table: 'stock',
      primaryKey: ['site', 'sku'],
      deletes: { mode: 'reconcile', reconcileIntervalMs: 1000, chunkSize: 7 },
    });
    await run.waitFor(() => run.upserts().length === 80, 'the 80 rows');
    await server.query(
      `DELETE FROM stock WHERE (site = 'north' AND sku = 5) OR (site = 'south' AND sku = 40)`,
    );
    await run.waitFor(() => run.deletes().length === 2, 'two delete events', 8000);
    expect(
      run
        .deletes()
        .map((d) => JSON.stringify(d.payload))
        .sort(),
    ).toEqual([
      '{"op":"delete","pk":{"site":"north","sku":5}}',
      '{"op":"delete","pk":{"site":"south","sku":40}}',
    ]);
  });

  it('reads deletes through the trigger an admin installs, as a read-only capture login', async () => {
    const table = await newTable();
    await server.query(
      `INSERT INTO ${table} (id, order_no) SELECT g, 'T-' || g FROM generate_series(1, 4) g`,
    );
    await server.query(`CREATE ROLE capture LOGIN PASSWORD 'capture-pw'`);
    await server.query(`GRANT SELECT ON ${table} TO capture`);
    const source = {
      type: 'postgres',
      host: server.host,
      port: server.port,
      database: server.database,
      user: 'capture',
      password: { secretRef: 'capture-pw' },
      table,
      watermark: { column: 'updated_at' },
      primaryKey: ['id'],
      deletes: { mode: 'trigger' },
    };
    const configFile = join(tempDir(), 'agent.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        configVersion: 1,
        connections: [{ id: 'erp', source, destination: { type: 'http', url: 'https://api.example.com/x' } }],
      }),
    );
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.env['PG_ADMIN_PASSWORD'] = server.password;
    try {
      const admin = { config: configFile, user: 'postgres', passwordFromEnv: 'PG_ADMIN_PASSWORD' };
      await installTriggersCommand('erp', admin);
      const run = await capture({ ...source, password: { secretRef: 'pg-password' } }, 'capture-pw');
      await run.waitFor(() => run.upserts().length === 4, 'the rows');
      await server.query(`DELETE FROM ${table} WHERE id = 3`);
      await run.waitFor(() => run.deletes().length === 1, 'the delete event');
      expect(run.deletes()[0]?.payload).toEqual({ op: 'delete', pk: { id: '3' } });
      expect(run.deletes()[0]?.orderingKey).toBe(run.upserts()[2]?.orderingKey);
      await run.close();
      await uninstallTriggersCommand('erp', admin);
      expect(String(out.mock.calls.at(-1)?.[0])).toContain('the log table was dropped');
    } finally {
      out.mockRestore();
      delete process.env['PG_ADMIN_PASSWORD'];
    }
    expect(await server.query(`SELECT to_regclass('public.integration_agent_deleted_rows') AS log`)).toEqual([
      { log: null },
    ]);
  });

  it('is degraded while the server restarts mid-poll, then resumes: nothing skipped, nothing stored twice', async () => {
    const table = await newTable();
    await server.query(
      `INSERT INTO ${table} (id, order_no) SELECT g, 'R-' || g FROM generate_series(1, 20000) g`,
    );
    const run = await capture({ table, batchSize: 50 });
    await run.waitFor(() => run.count() > 0, 'capture under way');
    const capturedBeforeRestart = run.count();
    await server.restart({ downMs: 300 });
    await server.query(`INSERT INTO ${table} (id, order_no) VALUES (20001, 'after restart')`);
    await run.waitFor(() => run.count() === 20001, 'every row', 15_000);
    expect(capturedBeforeRestart).toBeLessThan(20000);
    const degraded = run.reports.find((r) => r.state === 'degraded');
    expect(degraded?.detail).toMatch(
      /^PostgreSQL at 127\.0\.0\.1:\d+\/postgres: .+ \(attempt \d+, retrying in \d+ s\)$/,
    );
    expect(run.source.health().state).toBe('running');
    expect(new Set(ids(run)).size).toBe(20001);
  });

  it('quotes identifiers: a table named like a keyword with mixed-case columns', async () => {
    await server.query(
      `CREATE TABLE "Order" ("Id" int PRIMARY KEY, "select" text, "updatedAt" timestamptz NOT NULL)`,
    );
    await server.query(`INSERT INTO "Order" VALUES (1, 'x', now())`);
    const run = await capture({
      table: 'Order',
      columns: ['select'],
      primaryKey: ['Id'],
      watermark: { column: 'updatedAt' },
    });
    await run.waitFor(() => run.records().length === 1, 'the row');
    expect(Object.keys(run.records()[0]?.payload ?? {})).toEqual(['select', 'updatedAt', 'Id']);
  });

  it('connects over verified TLS with tls.mode verify, and refuses a server its caFile did not sign', async () => {
    const query =
      'SELECT 1 AS id, ssl AS encrypted, version AS protocol FROM pg_stat_ssl WHERE pid = pg_backend_pid()';
    const secure = await capture({
      query,
      watermark: undefined,
      tls: { mode: 'verify', caFile: pki.rootCa.certFile },
    });
    await secure.waitFor(() => secure.records().length === 1, 'the row over TLS');
    expect(secure.records()[0]?.payload).toMatchObject({
      encrypted: true,
      protocol: expect.stringMatching(/^TLSv1\.[23]$/),
    });
    const impostor = await capture({
      query,
      watermark: undefined,
      tls: { mode: 'verify', caFile: pki.otherCa.certFile },
    });
    await impostor.waitFor(() => impostor.source.health().state === 'degraded', 'degraded');
    expect(impostor.source.health().detail).toMatch(/certificate/);
    expect(impostor.records()).toEqual([]);
  });

  it('stops a query at queryTimeoutMs with the server’s own message', async () => {
    const run = await capture({
      query: 'SELECT 1 AS id, now() AS updated_at, pg_sleep(5) AS slept',
      queryTimeoutMs: 300,
    });
    await run.waitFor(() => run.source.health().state === 'degraded', 'degraded', 3000);
    expect(run.source.health().detail).toContain(
      'canceling statement due to statement timeout (57014). Fix: the query ran longer than queryTimeoutMs',
    );
  });

  it('reports the database’s own message and a fix: missing table, wrong password, writes refused', async () => {
    const missing = await capture({ table: 'no_such_table' });
    await missing.waitFor(() => missing.source.health().state === 'degraded', 'degraded');
    expect(missing.source.health().detail).toContain(
      'relation "no_such_table" does not exist (42P01). Fix: check the table name',
    );
    const denied = await capture({ table: 'stock' }, 'wrong');
    await denied.waitFor(() => denied.source.health().state === 'degraded', 'degraded');
    expect(denied.source.health().detail).toContain('password authentication failed for user "postgres"');
    expect(denied.source.health().detail).not.toContain('wrong');
    await server.query('CREATE SEQUENCE read_only_check');
    const writer = await capture({ query: "SELECT nextval('read_only_check') AS id", watermark: undefined });
    await writer.waitFor(() => writer.source.health().state === 'degraded', 'degraded');
    expect(writer.source.health().detail).toContain('cannot execute nextval() in a read-only transaction');
  });
});
