// The engine end to end: PostgreSQL rows (password from the encrypted secret store) delivered to the ingest server.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { Engine } from '../../../../main/engine/engine.js';
import { startIngestServer, type IngestServer } from '../../../../main/sandbox/ingest-server.js';
import { openSecretStore } from '../../../../main/secrets/open-secret-store.js';
import { waitFor } from '../../../support/agent-process.js';
import { fileSecrets } from '../../../support/file-secrets.js';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'db-engine-' });
let server: PostgresServer;
let ingest: IngestServer | undefined;
let engine: Engine | undefined;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  await engine?.stop(1000);
  await ingest?.close();
  engine = undefined;
  ingest = undefined;
});

describe('database capture in the engine', () => {
  it('delivers inserts, updates and reconciled deletes with their keys, and shows mode, guarantee and lag', async () => {
    await server.query(`CREATE TABLE invoices (id int PRIMARY KEY, invoice_no text, total numeric(10, 2),
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await server.query(
      `INSERT INTO invoices (id, invoice_no, total) VALUES (1, 'INV-1', 10), (2, 'INV-2', 20)`,
    );
    const dataDir = join(tempDir(), 'data');
    mkdirSync(dataDir);
    const secrets = fileSecrets(tempDir());
    await (await openSecretStore(secrets, dataDir)).set('erp-db', server.password);
    ingest = await startIngestServer();
    const config = agentConfigSchema.parse({
      configVersion: 1,
      outbox: { minFreeDiskBytes: 0 },
      secrets,
      connections: [
        {
          id: 'erp',
          source: {
            type: 'postgres',
            host: server.host,
            port: server.port,
            database: server.database,
            user: server.user,
            password: { secretRef: 'erp-db' },
            table: 'invoices',
            watermark: { column: 'updated_at' },
            primaryKey: ['id'],
            businessKey: 'invoice_no',
            pollIntervalMs: 100,
            deletes: { mode: 'reconcile', reconcileIntervalMs: 1000 },
          },
          destination: { type: 'http', url: `${ingest.url}/ingest/erp`, retry: { baseMs: 20, capMs: 200 } },
        },
      ],
    });
    engine = await Engine.start({ config, dataDir, logger: pino({ level: 'silent' }), version: 'test' });
    const applied = () => ingest?.appliedItems() ?? [];
    await waitFor(() => applied().length === 2, 10_000, 'two rows delivered');
    await server.query(`UPDATE invoices SET total = 25, updated_at = clock_timestamp() WHERE id = 2`);
    await server.query(`DELETE FROM invoices WHERE id = 1`);
    await waitFor(() => applied().length === 4, 10_000, 'the update and the delete delivered');
    const bodies = applied().map((item) => JSON.parse(item.body.toString()) as Record<string, unknown>);
    expect(bodies.slice(0, 2).map((b) => b['invoice_no'])).toEqual(['INV-1', 'INV-2']);
    expect(bodies.slice(2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 2, total: '25.00' }),
        { op: 'delete', pk: { id: 1 } },
      ]),
    );
    const [stored] = engine.outbox.search({ businessKey: 'INV-1', limit: 1 });
    expect(applied()[0]?.key).toBe(stored?.idempotencyKey);

    const source = engine.status().connections[0]?.source;
    expect(source).toMatchObject({
      type: 'postgres',
      state: 'running',
      mode: 'table invoices, watermark updated_at, deletes by reconcile',
    });
    expect(source?.guarantee).toContain('deletes via reconciliation every 1 s');
    expect(source?.lagMs).toBeLessThan(5000);
    expect(JSON.stringify(engine.status())).not.toContain(server.password);
  });
});
