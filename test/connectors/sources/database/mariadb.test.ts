// MariaDB 10.11 capture against a real server: types, integer watermarks, late commits, deletes, restart, CLI triggers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSecretStore } from '../../../../main/secrets/open-secret-store.js';
import { runCli } from '../../../support/agent-process.js';
import { runCapture, type CaptureRun } from '../../../support/database-capture.js';
import { fileSecrets } from '../../../support/file-secrets.js';
import { startMariaDb, type MariaDbServer } from '../../../support/mariadb-server.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'db-maria-' });
let server: MariaDbServer;
const runs: CaptureRun[] = [];
let tables = 0;

beforeAll(async () => {
  server = await startMariaDb();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const run of runs.splice(0)) await run.close();
});

async function newTable(): Promise<string> {
  tables += 1;
  const table = `orders_${tables}`;
  await server.query(`CREATE TABLE ${table} (
    id BIGINT UNSIGNED PRIMARY KEY, order_no VARCHAR(20) NOT NULL, amount DECIMAL(12, 2), tags JSON, doc BLOB,
    created TIMESTAMP(6) NULL, updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY changes (updated_at, id))`);
  return table;
}

const connection = () => ({
  type: 'mysql',
  host: server.host,
  port: server.port,
  database: server.database,
  user: server.user,
  password: { secretRef: 'maria-password' },
});

async function capture(source: Record<string, unknown>): Promise<CaptureRun> {
  const run = await runCapture(
    {
      ...connection(),
      watermark: { column: 'updated_at' },
      primaryKey: ['id'],
      pollIntervalMs: 100,
      retry: { baseMs: 100, capMs: 400 },
      ...source,
    },
    { dataDir: tempDir(), secrets: { 'maria-password': server.password } },
  );
  runs.push(run);
  return run;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MariaDB capture', () => {
  it('captures inserts and updates: µs DATETIME, UTC TIMESTAMP, JSON, unsigned BIGINT and DECIMAL as text', async () => {
    const table = await newTable();
    await server.query(
      `INSERT INTO ${table} VALUES (18446744073709551615, 'M-1', 12.50, '{"rush": true}', x'0102ff',
       '2024-05-01 09:00:00.5', '2024-05-01 10:00:00.123456')`,
    );
    const run = await capture({ table, businessKey: 'order_no' });
    await run.waitFor(() => run.records().length === 1, 'the insert');
    await server.query(`UPDATE ${table} SET amount = 13, updated_at = '2024-05-01 10:00:00.123457'`);
    await run.waitFor(() => run.records().length === 2, 'the update one microsecond later');
    expect(run.records()[0]?.payload).toEqual({
      id: '18446744073709551615',
      order_no: 'M-1',
      amount: '12.50',
      tags: { rush: true },
      doc: Buffer.from([1, 2, 255]).toString('base64'),
      created: '2024-05-01T09:00:00.500000Z',
      updated_at: '2024-05-01T10:00:00.123456',
    });
    expect(run.records()[1]?.payload['amount']).toBe('13.00');
    expect(run.records()[0]?.businessKey).toBe('M-1');
    await sleep(300);
    expect(run.records()).toHaveLength(2);
  });

  it('pages an integer watermark through a burst of equal values larger than the batch size', async () => {
    await server.query(
      'CREATE TABLE items (sku INT PRIMARY KEY, version BIGINT NOT NULL, KEY v (version, sku))',
    );
    await server.query('INSERT INTO items SELECT seq, 7 FROM seq_1_to_260');
    const run = await capture({
      table: 'items',
      watermark: { column: 'version', type: 'integer' },
      primaryKey: ['sku'],
      batchSize: 25,
    });
    await run.waitFor(() => run.count() === 260, 'all 260 rows');
    await server.query('UPDATE items SET version = 8 WHERE sku = 200');
    await run.waitFor(() => run.count() === 261, 'the new version');
    await sleep(300);
    expect(new Set(run.records().map((r) => r.key)).size).toBe(261);
    expect(run.records().at(-1)?.payload).toEqual({ sku: 200, version: '8' });
    expect(run.source.health().guarantee).toContain('within 1000 values of the newest version');
  });

  it('captures a row whose transaction commits late, within the overlap window', async () => {
    const table = await newTable();
    const run = await capture({ table, overlapMs: 30_000 });
    const late = await server.connect();
    try {
      await late.query('BEGIN');
      await late.query(`INSERT INTO ${table} (id, order_no, updated_at) VALUES (1, 'late', NOW(6))`);
      await sleep(50);
      await server.query(`INSERT INTO ${table} (id, order_no) VALUES (2, 'early')`);
      await run.waitFor(() => run.records().length === 1, 'the newer row');
      await sleep(250);
      await late.query('COMMIT');
    } finally {
      await late.end();
    }
    await run.waitFor(() => run.records().length === 2, 'the late row');
    expect(run.records().map((r) => r.payload['order_no'])).toEqual(['early', 'late']);
  });

  it('turns deleted rows into delete events by reconciliation', async () => {
    const table = await newTable();
    await server.query(`INSERT INTO ${table} (id, order_no) SELECT seq, CONCAT('D-', seq) FROM seq_1_to_50`);
    const run = await capture({
      table,
      deletes: { mode: 'reconcile', reconcileIntervalMs: 1000, chunkSize: 9 },
    });
    await run.waitFor(() => run.upserts().length === 50, 'the 50 rows');
    await server.query(`DELETE FROM ${table} WHERE id IN (1, 25, 50)`);
    await run.waitFor(() => run.deletes().length === 3, 'three delete events', 8000);
    expect(
      run
        .deletes()
        .map((d) => JSON.stringify(d.payload))
        .sort(),
    ).toEqual([
      '{"op":"delete","pk":{"id":"1"}}',
      '{"op":"delete","pk":{"id":"25"}}',
      '{"op":"delete","pk":{"id":"50"}}',
    ]);
  });

  it('installs the delete trigger with the CLI, reads deletes from its log, and uninstalls it', async () => {
    const table = await newTable();
    await server.query(`INSERT INTO ${table} (id, order_no) SELECT seq, CONCAT('T-', seq) FROM seq_1_to_5`);
    const secrets = fileSecrets(tempDir());
    await (await openSecretStore(secrets, tempDir())).set('maria-password', server.password);
    const source = { ...connection(), table, watermark: { column: 'updated_at' }, primaryKey: ['id'] };
    const configFile = join(tempDir(), 'agent.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        configVersion: 1,
        dataDir: tempDir(),
        secrets,
        connections: [
          {
            id: 'erp',
            source: { ...source, deletes: { mode: 'trigger' } },
            destination: { type: 'http', url: 'https://api.example.com/ingest' },
          },
        ],
      }),
    );
    const installed = await runCli(['capture', 'install-triggers', 'erp', '--config', configFile]);
    expect(installed.output).toContain(`Installed the delete trigger on ${table}`);
    expect(installed.code).toBe(0);
    const run = await capture({ table, deletes: { mode: 'trigger' } });
    await run.waitFor(() => run.upserts().length === 5, 'the rows');
    await server.query(`DELETE FROM ${table} WHERE id IN (2, 3)`);
    await run.waitFor(() => run.deletes().length === 2, 'two delete events');
    expect(run.deletes().map((d) => d.payload)).toEqual([
      { op: 'delete', pk: { id: '2' } },
      { op: 'delete', pk: { id: '3' } },
    ]);
    const removed = await runCli(['capture', 'uninstall-triggers', 'erp', '--config', configFile]);
    expect(removed.output).toContain('the log table was dropped');
    expect(await server.query('SELECT TRIGGER_NAME FROM information_schema.TRIGGERS')).toEqual([]);
  });

  it('is degraded while the server restarts mid-poll, then resumes: nothing skipped, nothing stored twice', async () => {
    const table = await newTable();
    await server.query(
      `INSERT INTO ${table} (id, order_no) SELECT seq, CONCAT('R-', seq) FROM seq_1_to_20000`,
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
      /^MySQL\/MariaDB at 127\.0\.0\.1:\d+\/capture: .+ \(attempt \d+, retrying in \d+ s\)$/,
    );
    expect(run.source.health().state).toBe('running');
    const ids = run.records().map((r) => r.payload['id']);
    expect(new Set(ids).size).toBe(20001);
  });

  it('stops a query at queryTimeoutMs', async () => {
    const run = await capture({
      query: "SELECT 1 AS id, BENCHMARK(1000000000, MD5('x')) AS spin",
      watermark: undefined,
      queryTimeoutMs: 300,
    });
    await run.waitFor(() => run.source.health().state === 'degraded', 'degraded', 3000);
    expect(run.source.health().detail).toMatch(
      /max_statement_time exceeded.*Fix: the query ran longer than queryTimeoutMs/,
    );
  });

  it('reports a missing table with the server’s message and a fix', async () => {
    const run = await capture({ table: 'no_such_table' });
    await run.waitFor(() => run.source.health().state === 'degraded', 'degraded');
    expect(run.source.health().detail).toContain("Table 'capture.no_such_table' doesn't exist");
    expect(run.source.health().detail).toContain('Fix: check the table name');
  });
});
