// ODBC setup mistakes end in clear errors: a driver that is not installed, an unknown DSN, a server that never answers.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { resolverOf } from '../../../../connectors/core/secret-ref.js';
import { odbcSourceSchema } from '../../../../connectors/sources/database/config.js';
import { databaseTarget } from '../../../../connectors/sources/database/create-source.js';
import { checkOdbcSource } from '../../../../connectors/sources/database/odbc-connector.js';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'odbc-errors-' });

const noSecrets = { secrets: resolverOf(new Map()) };
const parse = (source: Record<string, unknown>) =>
  odbcSourceSchema.parse({ type: 'odbc', table: 'orders', primaryKey: ['id'], ...source });

let silent: { server: Server; sockets: Set<Socket> } | undefined;
afterEach(async () => {
  if (!silent) return;
  for (const socket of silent.sockets) socket.destroy();
  await new Promise((resolve) => silent?.server.close(resolve));
  silent = undefined;
});

it('fails "Test connection" for a driver that is not installed, naming the installed ones and the fix', async () => {
  const config = parse({ connectionString: 'Driver={Oracle 21 ODBC driver};DBQ=erp' });
  const [installed, source] = await checkOdbcSource(config, noSecrets);
  expect(installed).toMatchObject({ id: 'odbc-drivers', status: 'warn' });
  expect(installed?.detail).toMatch(/^installed ODBC drivers: .*PostgreSQL Unicode/);
  expect(installed?.fix).toMatch(/"Oracle 21 ODBC driver" is not in the list/);
  expect(source).toMatchObject({ id: 'source', title: 'ODBC driver Oracle 21 ODBC driver', status: 'fail' });
  expect(source?.detail).toMatch(/Can't open lib 'Oracle 21 ODBC driver'/);
  expect(source?.fix).toMatch(
    /is not installed: check Driver= .*odbcinst -q -d.*apt-get install -y unixodbc unixodbc-dev, then npm rebuild odbc/,
  );
});

it('fails for a DSN that does not exist, pointing at the DSN list', async () => {
  const [installed, source] = await checkOdbcSource(parse({ dsn: 'no-such-dsn' }), noSecrets);
  expect(installed).toMatchObject({
    status: 'warn',
    fix: expect.stringMatching(/the DSN "no-such-dsn"/) as string,
  });
  expect(source?.detail).toMatch(/Data source name not found/);
  expect(source?.fix).toMatch(/no DSN of that name exists/);
});

it('ends a connect to a server that never answers with a timeout error', async () => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => void sockets.add(socket)); // accepts, then says nothing
  silent = { server, sockets };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config = parse({
    connectionString: `Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=${port};Database=erp`,
    user: 'capture',
    connectTimeoutMs: 500,
  });
  const connecting = databaseTarget(config, () => '').connect({ queryTimeoutMs: 500, readOnly: true });
  await expect(connecting).rejects.toThrow(
    /connecting through ODBC: .*(did not answer within 500 ms|timeout)/is,
  );
});

it('refuses a password in the connection string and trigger mode on an Access file', () => {
  const problems = (source: Record<string, unknown>) => {
    const result = agentConfigSchema.safeParse({
      configVersion: 1,
      connections: [
        {
          id: 'db',
          source: { type: 'odbc', table: 'orders', primaryKey: ['id'], ...source },
          destination: { type: 'http', url: 'https://api.example.com/ingest' },
        },
      ],
    });
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };
  expect(problems({ connectionString: 'Driver={PostgreSQL Unicode};Server=db;PWD=hunter2' })).toEqual([
    'holds a password (PWD=…): config files must not contain secrets',
  ]);
  expect(problems({ dsn: 'erp', dialect: 'access', deletes: { mode: 'trigger' } })).toEqual([
    'Access files are read through mdbtools, which cannot create triggers',
  ]);
  expect(problems({})).toEqual(['neither dsn nor connectionString is set']);
});

it('names the packages to install when the odbc binding cannot load', () => {
  // A real Node process in which resolving the odbc package fails, as on a machine without it.
  const dir = tempDir();
  writeFileSync(
    join(dir, 'hooks.mjs'),
    "export async function resolve(specifier, context, next) { if (specifier === 'odbc') throw new Error(\"Cannot find package 'odbc'\"); return next(specifier, context); }",
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    "import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);",
  );
  const module = join(process.cwd(), 'connectors/sources/database/odbc-module.ts');
  const script = `import { loadOdbc } from ${JSON.stringify(module)}; loadOdbc().then(() => console.log('loaded'), (e) => console.log(e.message));`;
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--import', join(dir, 'register.mjs'), '--input-type=module', '-e', script],
    { encoding: 'utf8', timeout: 30_000 },
  );
  expect(output).toMatch(
    /^the ODBC binding \(npm package odbc\) could not be loaded: Cannot find package 'odbc'\. Fix: .*apt-get install -y unixodbc unixodbc-dev, then npm rebuild odbc/,
  );
});

it('says why an Access file cannot be captured through the MDBTools driver, before opening it', async () => {
  const file = join(tempDir(), 'orders.mdb'); // never opened: the refusal comes first
  const config = parse({
    connectionString: `Driver=MDBTools;DBQ=${file}`,
    watermark: { column: 'UpdatedAt' },
  });
  const connecting = databaseTarget(config, () => '').connect({ queryTimeoutMs: 5000, readOnly: true });
  await expect(connecting).rejects.toThrow(
    /MDBTools ODBC driver cannot run capture's queries: its SQL has no ORDER BY/,
  );
});
