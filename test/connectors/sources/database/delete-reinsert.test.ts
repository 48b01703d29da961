// Trigger-mode deletes against re-inserts: concurrent clients delete and re-insert keys; the API must end equal to the table.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { triggerSql } from '../../../../connectors/sources/database/trigger-sql.js';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { Engine } from '../../../../main/engine/engine.js';
import { openSecretStore } from '../../../../main/secrets/open-secret-store.js';
import { waitFor } from '../../../support/agent-process.js';
import { fileSecrets } from '../../../support/file-secrets.js';
import { startIngestServer, type IngestServer } from '../../../support/ingest.js';
import { startMariaDb } from '../../../support/mariadb-server.js';
import { startPostgres } from '../../../support/postgres-server.js';
import { seededRandom } from '../../../support/seeded-random.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'db-reinsert-' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const clients = 6;
const keysPerClient = 5;
const roundsPerClient = 30;

/** One writing session: runs statements, each array in one transaction. */
interface Writer {
  transaction(statements: string[]): Promise<void>;
  close(): Promise<void>;
}

interface Dialect {
  source: Record<string, unknown>;
  password?: string;
  /** Statements that put `v` under key `id` (insert, or replace a row that is there). */
  write(id: number, v: number): string;
  writer(): Promise<Writer>;
  /** The table now: id → v. */
  rows(): Promise<Map<string, number>>;
}

/** Each client owns its keys and loops: delete + re-insert in one transaction, or in two, or delete, or insert. */
async function churn(dialect: Dialect, client: number): Promise<void> {
  const random = seededRandom(1000 + client);
  const writer = await dialect.writer();
  try {
    for (let round = 0; round < roundsPerClient; round += 1) {
      const id = client * keysPerClient + 1 + Math.floor(random() * keysPerClient);
      const v = client * 1000 + round;
      const remove = `DELETE FROM items WHERE id = ${id}`;
      const choice = random();
      if (choice < 0.4) await writer.transaction([remove, dialect.write(id, v)]);
      else if (choice < 0.8) {
        await writer.transaction([remove]);
        await new Promise((resolve) => setImmediate(resolve)); // lets a poll run between the two
        await writer.transaction([dialect.write(id, v)]);
      } else if (choice < 0.9) await writer.transaction([remove]);
      else await writer.transaction([dialect.write(id, v)]);
      if (random() < 0.3) await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 20)));
    }
  } finally {
    await writer.close();
  }
}

/** The API's view: ingest items folded in apply order (an upsert sets the row, a delete removes it). */
function apiRows(ingest: IngestServer): Map<string, number> {
  const rows = new Map<string, number>();
  for (const item of ingest.appliedItems()) {
    const body = JSON.parse(item.body.toString()) as {
      op?: string;
      pk?: { id: unknown };
      id?: unknown;
      v?: unknown;
    };
    if (body.op === 'delete') rows.delete(String(body.pk?.id));
    else rows.set(String(body.id), Number(body.v));
  }
  return rows;
}

async function deliver(dialect: Dialect): Promise<{ ingest: IngestServer; stop(): Promise<void> }> {
  const dataDir = join(tempDir(), 'data');
  mkdirSync(dataDir);
  const secrets = fileSecrets(tempDir());
  if (dialect.password) await (await openSecretStore(secrets, dataDir)).set('db', dialect.password);
  const ingest = await startIngestServer();
  const config = agentConfigSchema.parse({
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0 },
    secrets,
    connections: [
      {
        id: 'items',
        source: {
          ...dialect.source,
          ...(dialect.password ? { password: { secretRef: 'db' } } : {}),
          table: 'items',
          primaryKey: ['id'],
          pollIntervalMs: 100,
          deletes: { mode: 'trigger' },
        },
        destination: { type: 'http', url: `${ingest.url}/ingest/items`, retry: { baseMs: 20, capMs: 200 } },
      },
    ],
  });
  const engine = await Engine.start({ config, dataDir, logger: pino({ level: 'silent' }), version: 'test' });
  return {
    ingest,
    async stop() {
      await engine.stop(1000);
      await ingest.close();
    },
  };
}

async function expectApiEqualsTable(dialect: Dialect): Promise<void> {
  const run = await deliver(dialect);
  cleanups.push(() => run.stop());
  const table = () => dialect.rows();
  await waitFor(() => run.ingest.appliedItems().length > 0, 10_000, 'the first rows delivered');
  await Promise.all(Array.from({ length: clients }, (_, client) => churn(dialect, client)));
  const final = await table();
  const same = () => JSON.stringify([...apiRows(run.ingest)].sort()) === JSON.stringify([...final].sort());
  await waitFor(same, 15_000, 'the API equal to the table').catch(() => undefined);
  expect(new Map([...apiRows(run.ingest)].sort())).toEqual(new Map([...final].sort()));
}

const seedRows = (write: (id: number, v: number) => string) =>
  Array.from({ length: clients * keysPerClient }, (_, i) => write(i + 1, 0));

/** A database server the tests start (PostgreSQL or MariaDB): what the churn needs of it. */
interface SqlServer {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  query<R extends Record<string, unknown>>(sql: string): Promise<R[]>;
  connect(): Promise<{ query(sql: string): Promise<unknown>; end(): Promise<void> }>;
}

interface ServerTable {
  type: 'postgres' | 'mysql';
  /** Starts a transaction in this dialect. */
  begin: string;
  table: string;
  write: Dialect['write'];
  triggers: readonly string[];
}

/** Creates the table with its delete trigger and seed rows on `server`, then churns it against the agent. */
async function expectServerApiEqualsTable(server: SqlServer, spec: ServerTable): Promise<void> {
  await server.query(spec.table);
  for (const statement of spec.triggers) await server.query(statement);
  for (const statement of seedRows(spec.write)) await server.query(statement);
  const { host, port, database, user } = server;
  await expectApiEqualsTable({
    source: { type: spec.type, host, port, database, user, watermark: { column: 'updated_at' } },
    password: server.password,
    write: spec.write,
    async writer() {
      const connection = await server.connect();
      return {
        async transaction(statements) {
          await connection.query(spec.begin);
          for (const statement of statements) await connection.query(statement);
          await connection.query('COMMIT');
        },
        close: () => connection.end(),
      };
    },
    async rows() {
      const rows = await server.query<{ id: number; v: number }>('SELECT id, v FROM items');
      return new Map(rows.map((r) => [String(r.id), r.v]));
    },
  });
}

describe('trigger-mode deletes against re-inserts of the same key', () => {
  it('PostgreSQL: the API ends equal to the table', async () => {
    const server = await startPostgres();
    cleanups.push(() => server.stop());
    await expectServerApiEqualsTable(server, {
      type: 'postgres',
      begin: 'BEGIN',
      table: `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
      write: (id, v) =>
        `INSERT INTO items (id, v) VALUES (${id}, ${v}) ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v, updated_at = clock_timestamp()`,
      triggers: triggerSql({ dialect: 'postgres', table: 'public.items', primaryKey: ['id'] }).install,
    });
  });

  it('MariaDB: the API ends equal to the table', async () => {
    const server = await startMariaDb();
    cleanups.push(() => server.stop());
    await expectServerApiEqualsTable(server, {
      type: 'mysql',
      begin: 'START TRANSACTION',
      table: `CREATE TABLE items (id INT PRIMARY KEY, v INT NOT NULL,
        updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), KEY changes (updated_at, id))`,
      write: (id, v) =>
        `INSERT INTO items (id, v) VALUES (${id}, ${v}) ON DUPLICATE KEY UPDATE v = VALUES(v), updated_at = CURRENT_TIMESTAMP(6)`,
      triggers: triggerSql({ dialect: 'mysql', table: 'items', primaryKey: ['id'] }).install,
    });
  });

  it('SQLite: the API ends equal to the table', async () => {
    const file = join(tempDir(), 'erp.db');
    const setup = new Database(file);
    setup.pragma('journal_mode = WAL');
    // An integer watermark from a counter: SQLite writers are serialized, so counter order is commit order.
    setup.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, seq INTEGER NOT NULL)');
    setup.exec('CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)');
    const next = '(SELECT n FROM counter)';
    const write = (id: number, v: number) =>
      `UPDATE counter SET n = n + 1; INSERT INTO items (id, v, seq) VALUES (${id}, ${v}, ${next}) ` +
      `ON CONFLICT (id) DO UPDATE SET v = excluded.v, seq = ${next}`;
    for (const statement of triggerSql({ dialect: 'sqlite', table: 'items', primaryKey: ['id'] }).install)
      setup.exec(statement);
    for (const statement of seedRows(write)) setup.exec(statement);
    cleanups.push(() => Promise.resolve(void setup.close()));
    await expectApiEqualsTable({
      source: { type: 'sqlite', file, watermark: { column: 'seq', type: 'integer' } },
      write,
      writer() {
        const db = new Database(file);
        db.pragma('busy_timeout = 5000');
        return Promise.resolve({
          transaction(statements) {
            db.exec(`BEGIN IMMEDIATE; ${statements.join('; ')}; COMMIT`);
            return Promise.resolve();
          },
          close: () => Promise.resolve(void db.close()),
        });
      },
      rows() {
        const rows = setup.prepare('SELECT id, v FROM items').all() as { id: number; v: number }[];
        return Promise.resolve(new Map(rows.map((r) => [String(r.id), r.v])));
      },
    });
  });
});
