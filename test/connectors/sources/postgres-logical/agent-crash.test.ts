// The real agent process on logical decoding: `capture setup`, concurrent writers, SIGKILL of the agent and a restart
// of PostgreSQL mid-stream; the ingest API ends with exactly the table's state, every change applied once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startIngestServer, type IngestServer } from '../../../../main/sandbox/ingest-server.js';
import { openSecretStore } from '../../../../main/secrets/open-secret-store.js';
import { runCli, spawnAgent, waitFor, type AgentProcess } from '../../../support/agent-process.js';
import { fileSecrets } from '../../../support/file-secrets.js';
import {
  replay,
  runWriters,
  stateLines,
  tableState,
  workloadTable,
} from '../../../support/logical-workload.js';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'pg-logical-agent-' });
let server: PostgresServer;
let ingest: IngestServer;
let agent: AgentProcess | undefined;

beforeAll(async () => {
  [server, ingest] = await Promise.all([startPostgres({ logical: true }), startIngestServer()]);
});
// Registered after useTempDir, so it runs first (hooks unwind as a stack): the agent must be gone before its data dir
// is removed, or its last writes race the removal (ENOTEMPTY).
afterEach(async () => {
  agent?.kill('SIGKILL');
  await agent?.exited;
  agent = undefined;
});
afterAll(async () => {
  await Promise.all([server?.stop(), ingest?.close()]);
});

describe('logical decoding in the agent', () => {
  it('survives SIGKILL of the agent and a PostgreSQL restart: the API holds the table, each change once', async () => {
    await server.query(workloadTable('orders'));
    const dataDir = tempDir();
    const secrets = fileSecrets(dataDir);
    await (await openSecretStore(secrets, dataDir)).set('erp-db', server.password);
    const configFile = join(dataDir, 'agent.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        configVersion: 1,
        outbox: { minFreeDiskBytes: 0 },
        logging: { level: 'warn' },
        secrets,
        connections: [
          {
            id: 'erp',
            source: {
              type: 'postgres',
              mode: 'logical',
              host: server.host,
              port: server.port,
              database: server.database,
              user: server.user,
              password: { secretRef: 'erp-db' },
              tables: ['orders'],
              retry: { baseMs: 100, capMs: 500 },
            },
            destination: {
              type: 'http',
              url: `${ingest.url}/ingest/erp`,
              retry: { baseMs: 20, capMs: 200 },
              concurrency: 2,
              batch: { format: 'json-array', maxRecords: 50, maxBytes: 1024 * 1024, lingerMs: 20 },
            },
          },
        ],
      }),
    );
    const setup = await runCli(['capture', 'setup', 'erp', '--config', configFile, '--data-dir', dataDir]);
    expect(setup.output).toContain('ok   wal_level: wal_level is logical');
    expect(setup.output).toContain('created the publication integration_agent for orders');
    expect(setup.output).toContain('created the replication slot integration_agent');
    expect(setup.code).toBe(0);

    const start = async () => {
      agent = spawnAgent(['run', '--config', configFile, '--data-dir', dataDir]);
      await agent.waitForOutput(/running \(pid/, 30_000);
    };
    await start();
    const writing = runWriters(server, 'orders', { writers: 3, transactions: 30, seed: 7, idBase: 0 });
    await waitFor(() => ingest.appliedItems().length > 10, 20_000, 'deliveries under way');
    agent?.kill('SIGKILL');
    await agent?.exited;
    let changes = await writing;
    await start();
    await waitFor(() => ingest.appliedItems().length > changes / 2, 20_000, 'capture resumed');
    await server.restart({ downMs: 300 });
    changes += await runWriters(server, 'orders', { writers: 3, transactions: 20, seed: 8, idBase: 1000 });

    const api = () =>
      replay(ingest.appliedItems().map((i) => JSON.parse(i.body.toString()) as Record<string, unknown>));
    const expected = stateLines(await tableState(server, 'orders'));
    await waitFor(() => ingest.appliedItems().length >= changes, 30_000, `all ${changes} changes applied`);
    expect(stateLines(api())).toEqual(expected);
    expect(ingest.appliedItems()).toHaveLength(changes); // a repeated change would be one more item
    const [slot] = await server.query<{ active: boolean }>(
      `SELECT active FROM pg_replication_slots WHERE slot_name = 'integration_agent'`,
    );
    expect(slot?.active).toBe(true);
  }, 60_000);
});
