// Database TLS: verified by default for a server on another machine, and an unencrypted remote connection is named in status.
import { describe, expect, it } from 'vitest';
import { resolverOf } from '../../../../connectors/core/secret-ref.js';
import { postgresSourceSchema } from '../../../../connectors/sources/database/config.js';
import {
  createDatabaseSource,
  databaseTarget,
} from '../../../../connectors/sources/database/create-source.js';

const secrets = resolverOf(new Map());
const source = (host: string, tls?: { mode: 'off' | 'verify' }) =>
  postgresSourceSchema.parse({
    type: 'postgres',
    host,
    database: 'erp',
    user: 'reader',
    table: 'orders',
    primaryKey: ['id'],
    watermark: { column: 'updated_at' },
    ...(tls ? { tls } : {}),
  });

describe('database TLS defaults', () => {
  it('connects in plain to this machine by default, and warns about nothing there', () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      expect(databaseTarget(source(host), secrets)).toMatchObject({ tls: 'off' });
      expect(databaseTarget(source(host), secrets).transportWarning).toBeUndefined();
    }
  });

  it('verifies TLS by default for another machine, so no warning is needed', () => {
    const target = databaseTarget(source('db.example.internal'), secrets);
    expect(target.tls).toBe('verify');
    expect(target.transportWarning).toBeUndefined();
    expect(databaseTarget(source('127.0.0.1', { mode: 'verify' }), secrets).tls).toBe('verify');
  });

  it('names an unencrypted connection to another machine in the status mode text', () => {
    const config = source('db.example.internal', { mode: 'off' });
    expect(databaseTarget(config, secrets).transportWarning).toBe(
      'UNENCRYPTED connection to db.example.internal:5432 (tls.mode: off)',
    );
    expect(createDatabaseSource(config, secrets).health().mode).toContain(
      'UNENCRYPTED connection to db.example.internal:5432',
    );
  });
});
