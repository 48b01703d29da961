// `capture setup` against a PostgreSQL 15 without wal_level=logical: each failed prerequisite with its fix, nothing
// created; `--print-sql` prints the script for a DBA.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureSetupCommand } from '../../../../main/commands/capture-setup-command.js';
import { openSecretStore } from '../../../../main/secrets/open-secret-store.js';
import { fileSecrets } from '../../../support/file-secrets.js';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'pg-logical-setup-' });
let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres(); // wal_level replica: the default
  await server.query(`CREATE ROLE capture LOGIN PASSWORD 'capture-pw'`);
  await server.query('CREATE TABLE keyed (id int PRIMARY KEY, note text)');
  await server.query('CREATE TABLE loose (note text)');
});
afterAll(async () => {
  await server?.stop();
});

async function configFile(): Promise<{ file: string; dataDir: string }> {
  const dataDir = tempDir();
  const secrets = fileSecrets(dataDir);
  await (await openSecretStore(secrets, dataDir)).set('capture-pw', 'capture-pw');
  const file = join(dataDir, 'agent.json');
  const source = {
    type: 'postgres',
    mode: 'logical',
    host: server.host,
    port: server.port,
    database: server.database,
    user: 'capture',
    password: { secretRef: 'capture-pw' },
    tables: ['keyed', 'loose'],
    slot: 'erp_slot',
    publication: 'erp_pub',
  };
  const destination = { type: 'http', url: 'https://api.example.com/ingest' };
  writeFileSync(
    file,
    JSON.stringify({ configVersion: 1, secrets, connections: [{ id: 'erp', source, destination }] }),
  );
  return { file, dataDir };
}

async function run(options: { printSql?: boolean }): Promise<{ output: string; error: unknown }> {
  const { file, dataDir } = await configFile();
  let output = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output += String(chunk);
    return true;
  });
  try {
    await captureSetupCommand('erp', { config: file, dataDir, ...options });
    return { output, error: undefined };
  } catch (error) {
    return { output, error };
  } finally {
    spy.mockRestore();
  }
}

describe('capture setup', () => {
  it('reports each failed prerequisite with its fix and creates nothing', async () => {
    const { output, error } = await run({});
    expect((error as Error).message).toContain('3 prerequisites of logical decoding failed');
    expect((error as Error).message).toContain('nothing was created');
    expect(output).toContain('FAIL wal_level: wal_level is "replica", not "logical"');
    expect(output).toContain('Fix: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL');
    expect(output).toContain(
      'FAIL REPLICATION privilege: the login "capture" has neither REPLICATION nor superuser',
    );
    expect(output).toContain('Fix: ALTER ROLE "capture" REPLICATION;');
    expect(output).toContain('ok   table keyed: replica identity is the key');
    expect(output).toContain('FAIL table loose: loose has no primary key');
    expect(output).toContain('Fix: ALTER TABLE "public"."loose" REPLICA IDENTITY FULL;');
    expect(await server.query('SELECT pubname FROM pg_publication')).toEqual([]);
    expect(await server.query('SELECT slot_name FROM pg_replication_slots')).toEqual([]);
  });

  it('--print-sql prints the prerequisites and the statements for a DBA, without connecting', async () => {
    const { output, error } = await run({ printSql: true });
    expect(error).toBeUndefined();
    const lines = output.split('\n');
    expect(lines).toContain('ALTER ROLE "capture" REPLICATION;  -- the capture login streams the slot');
    expect(lines).toContain('--   ALTER TABLE "public"."loose" REPLICA IDENTITY FULL;');
    expect(lines).toContain('CREATE PUBLICATION "erp_pub" FOR TABLE "public"."keyed", "public"."loose";');
    expect(lines).toContain("SELECT pg_create_logical_replication_slot('erp_slot', 'pgoutput');");
  });
});
