// Mappings and contracts on database sources (SQLite, PostgreSQL): mapped rows sent, failures rejected, restart, remap.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dlqRemapCommand } from '../../main/commands/dlq-remap-command.js';
import { agentConfigSchema } from '../../main/config/schema.js';
import { Engine } from '../../main/engine/engine.js';
import { startIngestServer, type IngestServer } from '../../main/sandbox/ingest-server.js';
import { openSecretStore } from '../../main/secrets/open-secret-store.js';
import { waitFor } from '../support/agent-process.js';
import { fileSecrets } from '../support/file-secrets.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'db-mapping-' });
let pgServer: PostgresServer;
let ingest: IngestServer | undefined;
let engine: Engine | undefined;

beforeAll(async () => {
  pgServer = await startPostgres();
});
afterAll(async () => {
  await pgServer?.stop();
});
afterEach(async () => {
  await engine?.stop(1000);
  await ingest?.close();
  engine = undefined;
  ingest = undefined;
});

/** v1 sends a row as { no, amount } and a delete as { deleted }; a row without a total breaks the contract. */
const mappingV1 = {
  version: 1,
  expression: `op = 'delete' ? { "deleted": pk.id } : { "no": invoice_no, "amount": total }`,
};
const mappingV2 = {
  version: 2,
  expression: `op = 'delete' ? { "deleted": pk.id } : { "no": invoice_no, "amount": total ? total : 0 }`,
};
const schema = {
  type: 'object',
  properties: { no: { type: 'string' }, amount: { type: 'number' }, deleted: { type: 'integer' } },
  anyOf: [{ required: ['no', 'amount'] }, { required: ['deleted'] }],
};

interface Setup {
  dataDir: string;
  secrets?: ReturnType<typeof fileSecrets>;
  source: Record<string, unknown>;
  mapping: Record<string, unknown>;
  schemaFile: string;
}

function configOf(setup: Setup, url: string) {
  return {
    configVersion: 1,
    dataDir: setup.dataDir,
    outbox: { minFreeDiskBytes: 0 },
    ...(setup.secrets ? { secrets: setup.secrets } : {}),
    connections: [
      {
        id: 'erp',
        source: setup.source,
        mapping: setup.mapping,
        contract: { schemaFile: setup.schemaFile },
        destination: { type: 'http', url, retry: { baseMs: 20, capMs: 200 } },
      },
    ],
  };
}

async function startAgent(setup: Setup): Promise<Engine> {
  ingest ??= await startIngestServer();
  const config = agentConfigSchema.parse(configOf(setup, `${ingest.url}/ingest/erp`));
  return Engine.start({ config, dataDir: setup.dataDir, logger: pino({ level: 'silent' }), version: 'test' });
}

const bodies = () =>
  (ingest?.appliedItems() ?? []).map((item) => JSON.parse(item.body.toString()) as Record<string, unknown>);

function prepare(source: Record<string, unknown>, secrets?: ReturnType<typeof fileSecrets>): Setup {
  const dataDir = join(tempDir(), 'data');
  mkdirSync(dataDir, { recursive: true });
  const schemaFile = join(tempDir(), 'invoice.schema.json');
  writeFileSync(schemaFile, JSON.stringify(schema));
  return { dataDir, source, mapping: mappingV1, schemaFile, ...(secrets ? { secrets } : {}) };
}

/** Runs `dlq remap` with a config file holding mapping v2, quietly. */
async function remapWithV2(setup: Setup): Promise<void> {
  const configFile = join(setup.dataDir, 'agent.json');
  const config = configOf(
    { ...setup, mapping: { ...mappingV2, history: [mappingV1] } },
    'https://api.example.com/ingest',
  );
  writeFileSync(configFile, JSON.stringify(config));
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await dlqRemapCommand([], { connection: 'erp', config: configFile });
  } finally {
    stdout.mockRestore();
  }
}

describe('mappings on database sources', () => {
  it('SQLite: maps and checks each row, rejects the one that breaks the contract, resumes from its checkpoint, maps a delete and re-maps the rejected row', async () => {
    const file = join(tempDir(), 'erp.sqlite');
    const db = new Database(file);
    db.exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY, invoice_no TEXT, total REAL, version INTEGER NOT NULL);
      INSERT INTO invoices VALUES (1, 'INV-1', 10.5, 1), (2, 'INV-2', NULL, 2), (3, 'INV-3', 30, 3);`);
    const setup = prepare({
      type: 'sqlite',
      file,
      table: 'invoices',
      primaryKey: ['id'],
      watermark: { column: 'version' },
      businessKey: 'invoice_no',
      pollIntervalMs: 100,
      deletes: { mode: 'reconcile', reconcileIntervalMs: 1000 },
    });
    engine = await startAgent(setup);
    await waitFor(() => bodies().length === 2, 10_000, 'the two conforming rows sent');
    expect(bodies()).toEqual([
      { no: 'INV-1', amount: 10.5 },
      { no: 'INV-3', amount: 30 },
    ]);
    await waitFor(
      () => engine!.outbox.deadLetters({ connection: 'erp', limit: 10 }).length === 1,
      10_000,
      'rejected',
    );
    const [rejected] = engine.outbox.deadLetters({ connection: 'erp', limit: 10 });
    expect(rejected?.businessKey).toBe('INV-2');
    expect(rejected?.lastError).toBe('mapping v1: contract: /amount: expected number, found null');

    // Restart: capture resumes from the checkpoint (nothing read again is sent again), a new row and a delete follow.
    await engine.stop(1000);
    db.exec(`INSERT INTO invoices VALUES (4, 'INV-4', 40, 4); DELETE FROM invoices WHERE id = 1;`);
    engine = await startAgent(setup);
    await waitFor(() => bodies().length === 4, 15_000, 'the new row and the delete sent');
    expect(bodies().slice(2)).toEqual(expect.arrayContaining([{ no: 'INV-4', amount: 40 }, { deleted: 1 }]));
    expect(engine.outbox.deadLetters({ connection: 'erp', limit: 10 })).toHaveLength(1);

    await remapWithV2(setup);
    await waitFor(() => bodies().length === 5, 10_000, 'the re-mapped row sent');
    expect(bodies()[4]).toEqual({ no: 'INV-2', amount: 0 });
    db.close();
  });

  it('PostgreSQL: mapped rows sent, a failing row rejected with its reason, and the rest sent', async () => {
    await pgServer.query(`CREATE TABLE invoices (id int PRIMARY KEY, invoice_no text, total double precision,
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await pgServer.query(
      `INSERT INTO invoices (id, invoice_no, total) VALUES (1, 'INV-1', 10), (2, 'INV-2', NULL), (3, 'INV-3', 30)`,
    );
    const secrets = fileSecrets(tempDir());
    const setup = prepare(
      {
        type: 'postgres',
        host: pgServer.host,
        port: pgServer.port,
        database: pgServer.database,
        user: pgServer.user,
        password: { secretRef: 'erp-db' },
        table: 'invoices',
        watermark: { column: 'updated_at' },
        primaryKey: ['id'],
        businessKey: 'invoice_no',
        pollIntervalMs: 100,
      },
      secrets,
    );
    await (await openSecretStore(secrets, setup.dataDir)).set('erp-db', pgServer.password);
    engine = await startAgent(setup);
    await waitFor(() => bodies().length === 2, 10_000, 'the two conforming rows sent');
    expect(bodies()).toEqual([
      { no: 'INV-1', amount: 10 },
      { no: 'INV-3', amount: 30 },
    ]);
    await waitFor(
      () => engine!.outbox.deadLetters({ connection: 'erp', limit: 10 }).length === 1,
      10_000,
      'rejected',
    );
    expect(engine.outbox.deadLetters({ connection: 'erp', limit: 10 })[0]?.lastError).toBe(
      'mapping v1: contract: /amount: expected number, found null',
    );
    await engine.stop(1000);
    await pgServer.query(`INSERT INTO invoices (id, invoice_no, total) VALUES (4, 'INV-4', 40)`);
    engine = await startAgent(setup);
    await waitFor(() => bodies().length === 3, 10_000, 'the new row sent after the restart');
    expect(bodies()[2]).toEqual({ no: 'INV-4', amount: 40 });
  });
});
