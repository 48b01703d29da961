// A server without TLS, reached with tls.mode verify: "Test connection" fails and says how to fix it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolverOf } from '../../../../connectors/core/secret-ref.js';
import { checkDatabaseSource } from '../../../../connectors/sources/database/checks.js';
import { postgresSourceSchema } from '../../../../connectors/sources/database/config.js';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server.js';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres(); // plain connections only
});

afterAll(async () => {
  await server?.stop();
});

describe('TLS required but not offered', () => {
  it('fails the check with the fix: enable TLS on the server or set tls.mode: off', async () => {
    const config = postgresSourceSchema.parse({
      type: 'postgres',
      host: server.host,
      port: server.port,
      database: server.database,
      user: server.user,
      password: { secretRef: 'pg' },
      table: 'orders',
      primaryKey: ['id'],
      tls: { mode: 'verify' },
    });
    const [check] = await checkDatabaseSource(config, {
      secrets: resolverOf(new Map([['pg', server.password]])),
    });
    expect(check?.status).toBe('fail');
    expect(check?.detail).toMatch(/does not support SSL/i);
    expect(check?.fix).toContain('set tls.mode: off');
  });
});
