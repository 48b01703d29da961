// "Test connection" of a database source: a real SQLite file, a missing file, and a password secret that is not stored.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { resolverOf } from '../../../../connectors/core/secret-ref.js';
import { checkDatabaseSource } from '../../../../connectors/sources/database/checks.js';
import { postgresSourceSchema, sqliteSourceSchema } from '../../../../connectors/sources/database/config.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'database-checks-' });
const noSecrets = { secrets: resolverOf(new Map()) };

const sqliteSource = (file: string) =>
  sqliteSourceSchema.parse({
    type: 'sqlite',
    file,
    table: 'orders',
    watermark: { column: 'updated_at' },
    primaryKey: ['id'],
  });

it('passes a SQLite file it can open read-only and query', async () => {
  const file = join(tempDir(), 'erp.db');
  const db = new Database(file);
  db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, updated_at TEXT NOT NULL)');
  db.close();
  expect(await checkDatabaseSource(sqliteSource(file), noSecrets)).toEqual([
    { id: 'source', title: `SQLite file ${file}`, status: 'pass', detail: 'connected and ran a test query' },
  ]);
});

it('fails a SQLite file that does not exist or is not a database', async () => {
  const missing = join(tempDir(), 'no-such-folder', 'erp.db');
  const [absent] = await checkDatabaseSource(sqliteSource(missing), noSecrets);
  expect(absent).toMatchObject({ id: 'source', title: `SQLite file ${missing}`, status: 'fail' });
  expect(absent?.detail).toMatch(/does not exist/);

  const text = join(tempDir(), 'notes.db');
  writeFileSync(
    text,
    'this is not a SQLite database, just text long enough to fill a header page\n'.repeat(20),
  );
  const [garbage] = await checkDatabaseSource(sqliteSource(text), noSecrets);
  expect(garbage).toMatchObject({ id: 'source', title: `SQLite file ${text}`, status: 'fail' });
  expect(garbage?.detail).toMatch(/not a database/i);
});

it('fails before connecting when the password secret is not stored, naming the secret', async () => {
  const source = postgresSourceSchema.parse({
    type: 'postgres',
    host: '127.0.0.1',
    database: 'erp',
    user: 'reader',
    password: { secretRef: 'erp-db-password' },
    table: 'orders',
    watermark: { column: 'updated_at' },
    primaryKey: ['id'],
  });
  const checks = await checkDatabaseSource(source, noSecrets);
  expect(checks).toEqual([
    {
      id: 'source',
      title: 'Database',
      status: 'fail',
      detail: 'secret "erp-db-password" was not loaded',
      fix: 'store the secrets the source references',
    },
  ]);
});
