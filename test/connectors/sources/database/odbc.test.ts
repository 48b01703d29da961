// ODBC capture through Debian's real drivers: SQLite3, PostgreSQL Unicode and MariaDB Unicode, with restarts and deletes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolverOf } from '../../../../connectors/core/secret-ref.js';
import { odbcSourceSchema } from '../../../../connectors/sources/database/config.js';
import { databaseTarget } from '../../../../connectors/sources/database/create-source.js';
import { checkOdbcSource } from '../../../../connectors/sources/database/odbc-connector.js';
import { installDeleteTrigger } from '../../../../connectors/sources/database/trigger-installer.js';
import { installTriggersCommand } from '../../../../main/commands/capture-triggers-command.js';
import { runCapture, type CaptureRun } from '../../../support/database-capture.js';
import { startMariaDb, type MariaDbServer } from '../../../support/mariadb-server.js';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'db-odbc-' });
const runs: CaptureRun[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) await run.close();
});

async function capture(
  source: Record<string, unknown>,
  options: { secrets?: Record<string, string>; continue?: CaptureRun } = {},
): Promise<CaptureRun> {
  const run = await runCapture(
    {
      type: 'odbc',
      primaryKey: ['id'],
      pollIntervalMs: 100,
      retry: { baseMs: 100, capMs: 400 },
      ...source,
    },
    {
      dataDir: tempDir(),
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.continue ? { outbox: options.continue.outbox } : {}),
    },
  );
  runs.push(run);
  return run;
}

const ids = (run: CaptureRun) => run.upserts().map((r) => String(r.payload['id']));

describe('SQLite through the SQLite3 ODBC driver', () => {
  function sqliteFile(): { file: string; db: Database.Database } {
    const file = join(tempDir(), 'erp.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, order_no TEXT NOT NULL, version INTEGER NOT NULL)`);
    return { file, db };
  }

  it('captures by an integer watermark, keeps 64-bit values, resumes after a restart and reads deletes from the trigger log', async () => {
    const { file, db } = sqliteFile();
    const insert = db.prepare('INSERT INTO orders VALUES (?, ?, ?)');
    insert.run(1, 'A-1', 5_000_000_001);
    insert.run(2, 'A-2', 5_000_000_002);
    const source = {
      connectionString: `Driver=SQLite3;Database=${file}`,
      table: 'orders',
      watermark: { column: 'version', type: 'integer' },
      overlapValues: 0,
      deletes: { mode: 'trigger' },
    };
    // The CLI installs the trigger through the same ODBC driver, in the dialect the driver speaks.
    const configFile = join(tempDir(), 'agent.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        configVersion: 1,
        connections: [
          {
            id: 'erp',
            source: { type: 'odbc', primaryKey: ['id'], ...source },
            destination: { type: 'http', url: 'https://api.example.com/x' },
          },
        ],
      }),
    );
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await expect(installTriggersCommand('erp', { config: configFile, printSql: true })).rejects.toThrow(
        /found when connecting: set source.dialect to print its SQL/,
      );
      await installTriggersCommand('erp', { config: configFile });
      expect(String(out.mock.calls.at(-1)?.[0])).toMatch(
        /^Installed the delete trigger on orders .*ODBC driver SQLite3/,
      );
    } finally {
      out.mockRestore();
    }
    const first = await capture(source);
    await first.waitFor(() => first.count() === 2, 'the first two rows');
    expect(first.upserts().map((r) => r.payload)).toEqual([
      { id: '1', order_no: 'A-1', version: '5000000001' },
      { id: '2', order_no: 'A-2', version: '5000000002' },
    ]);
    await first.stopSource();

    insert.run(3, 'A-3', 5_000_000_003);
    db.prepare('DELETE FROM orders WHERE id = 1').run();
    const second = await capture(source, { continue: first });
    await second.waitFor(
      () => second.deletes().length === 1 && ids(second).includes('3'),
      'row 3 and the delete',
    );
    expect(ids(second)).toEqual(['1', '2', '3']); // rows 1 and 2 were not captured again
    expect(second.deletes()[0]?.payload).toEqual({ op: 'delete', pk: { id: '1' } });
    expect(second.reports.at(-1)?.state).toBe('running');
    db.close();
  });

  it('opens capture sessions read-only', async () => {
    const { file, db } = sqliteFile();
    db.close();
    const config = odbcSourceSchema.parse({
      type: 'odbc',
      connectionString: `Driver=SQLite3;Database=${file}`,
      table: 'orders',
      primaryKey: ['id'],
    });
    const client = await databaseTarget(config, () => '').connect({ queryTimeoutMs: 5000, readOnly: true });
    try {
      expect(client.syntax).toEqual({ dialect: 'sqlite', placeholders: 'question' });
      await expect(client.execute("INSERT INTO orders VALUES (9, 'X', 1)")).rejects.toThrow(/readonly/);
    } finally {
      await client.close();
    }
  });
});

describe('PostgreSQL through psqlODBC', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
    await server.query(`CREATE TABLE orders (id bigint PRIMARY KEY, order_no text NOT NULL, amount numeric(12, 2),
      updated_at timestamp(6) NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE 'UTC'))`);
    await server.query("CREATE ROLE reader LOGIN PASSWORD 'reader-pw'");
    await server.query('GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader');
  });
  afterAll(async () => {
    await server?.stop();
  });
  const source = () => ({
    connectionString: `Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=${server.port};Database=${server.database}`,
    user: server.user,
    password: { secretRef: 'pg' },
    table: 'orders',
    watermark: { column: 'updated_at' },
    deletes: { mode: 'trigger' },
  });
  const secrets = () => ({ pg: server.password });

  it('finds the dialect from the driver, captures with microseconds, resumes from its checkpoint and captures deletes by trigger', async () => {
    const config = odbcSourceSchema.parse({ type: 'odbc', primaryKey: ['id'], ...source() });
    const admin = await databaseTarget(config, () => server.password).connect({
      queryTimeoutMs: 5000,
      readOnly: false,
    });
    expect(admin.syntax?.dialect).toBe('postgres');
    await installDeleteTrigger(admin, { dialect: 'postgres', table: 'orders', primaryKey: ['id'] });
    await admin.close();
    await server.query(
      "INSERT INTO orders (id, order_no, amount, updated_at) VALUES (1, 'P-1', 10.5, '2026-01-01 10:00:00.123456')",
    );
    const first = await capture(source(), { secrets: secrets() });
    await first.waitFor(() => first.count() === 1, 'the first row');
    expect(first.upserts()[0]?.payload).toEqual({
      id: '1',
      order_no: 'P-1',
      amount: 10.5,
      updated_at: '2026-01-01T10:00:00.123456',
    });
    await first.stopSource();

    await server.query("INSERT INTO orders (id, order_no) VALUES (2, 'P-2')");
    await server.query('DELETE FROM orders WHERE id = 1');
    const second = await capture(source(), { secrets: secrets(), continue: first });
    await second.waitFor(
      () => second.deletes().length === 1 && ids(second).includes('2'),
      'row 2 and the delete',
    );
    expect(ids(second)).toEqual(['1', '2']);
    expect(second.deletes()[0]?.payload).toEqual({ op: 'delete', pk: { id: '1' } });
  });

  it('ends a query that runs past queryTimeoutMs with the server’s timeout and a fix', async () => {
    const config = odbcSourceSchema.parse({
      type: 'odbc',
      primaryKey: ['id'],
      ...source(),
      queryTimeoutMs: 300,
    });
    const client = await databaseTarget(config, () => server.password).connect({
      queryTimeoutMs: 300,
      readOnly: true,
    });
    try {
      await expect(client.query('SELECT pg_sleep(3)', [])).rejects.toThrow(
        /statement timeout.*Fix: .*raise queryTimeoutMs/s,
      );
    } finally {
      await client.close();
    }
  });

  it('refuses writes on the read-only capture session', async () => {
    const config = odbcSourceSchema.parse({ type: 'odbc', primaryKey: ['id'], ...source() });
    const client = await databaseTarget(config, () => server.password).connect({
      queryTimeoutMs: 5000,
      readOnly: true,
    });
    try {
      await expect(client.execute("INSERT INTO orders (id, order_no) VALUES (99, 'X')")).rejects.toThrow(
        /read-only transaction/,
      );
    } finally {
      await client.close();
    }
  });

  it('fails "Test connection" with a wrong password, saying to check it, and lists the installed drivers', async () => {
    const config = odbcSourceSchema.parse({ type: 'odbc', primaryKey: ['id'], ...source(), user: 'reader' });
    const checks = await checkOdbcSource(config, { secrets: resolverOf(new Map([['pg', 'wrong']])) });
    expect(checks[0]).toMatchObject({ id: 'odbc-drivers', status: 'pass' });
    expect(checks[0]?.detail).toMatch(/PostgreSQL Unicode.*MariaDB Unicode.*SQLite3.*MDBTools/);
    expect(checks[1]).toMatchObject({
      id: 'source',
      status: 'fail',
      fix: 'check the user and the password secret',
    });
    expect(checks[1]?.detail).toMatch(/password authentication failed/);
  });
});

describe('MariaDB through MariaDB Connector/ODBC', () => {
  let server: MariaDbServer;
  beforeAll(async () => {
    server = await startMariaDb();
    await server.query(`CREATE TABLE orders (id BIGINT PRIMARY KEY, order_no VARCHAR(20) NOT NULL,
      updated_at DATETIME(6) NOT NULL)`);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('captures, resumes after a restart and catches deletes by reconciliation', async () => {
    await server.query(
      "INSERT INTO orders VALUES (1, 'M-1', '2026-01-01 10:00:00.000001'), (2, 'M-2', '2026-01-01 10:00:00.000002')",
    );
    const source = {
      connectionString: `Driver={MariaDB Unicode};Server=127.0.0.1;Port=${server.port};Database=${server.database}`,
      user: server.user,
      password: { secretRef: 'db' },
      table: 'orders',
      watermark: { column: 'updated_at' },
      batchSize: 1, // pages of one row: the keyset paging runs through TOP/LIMIT for real
      deletes: { mode: 'reconcile', reconcileIntervalMs: 1000 },
    };
    const secrets = { db: server.password };
    const first = await capture(source, { secrets });
    await first.waitFor(() => first.count() === 2, 'the first two rows');
    expect(first.upserts()[1]?.payload).toEqual({
      id: '2',
      order_no: 'M-2',
      updated_at: '2026-01-01T10:00:00.000002',
    });
    await first.stopSource();

    await server.query("INSERT INTO orders VALUES (3, 'M-3', '2026-01-01 10:00:01')");
    await server.query('DELETE FROM orders WHERE id = 2');
    const second = await capture(source, { secrets, continue: first });
    await second.waitFor(
      () => second.deletes().length === 1 && ids(second).includes('3'),
      'row 3 and the delete',
    );
    expect(ids(second)).toEqual(['1', '2', '3']);
    expect(second.deletes()[0]?.payload).toEqual({ op: 'delete', pk: { id: 2 } }); // the key as the reconciler stored it
  });
});
