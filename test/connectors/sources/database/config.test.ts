// Database source config: defaults, and every refusal says what is wrong and how to fix it.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../main/config/load-config.js';
import { configErrorOf } from '../../../unit/config/config-error-helpers.js';

const configWith = (source: Record<string, unknown>) => ({
  configVersion: 1,
  connections: [{ id: 'erp', source, destination: { type: 'http', url: 'https://api.example.com/ingest' } }],
});

const postgres = {
  type: 'postgres',
  host: 'db.local',
  database: 'erp',
  user: 'capture',
  password: { secretRef: 'erp-db' },
  table: 'orders',
  watermark: { column: 'updated_at' },
  primaryKey: ['id'],
};

function problems(source: Record<string, unknown>): string[] {
  return configErrorOf(() => validateConfig(configWith(source), 'agent.yaml')).issues.map(
    (i) => `${i.path}: ${i.problem}. Fix: ${i.fix}`,
  );
}

describe('database source config', () => {
  it('fills in the documented defaults', () => {
    const source = validateConfig(configWith(postgres), 'agent.yaml').config.connections[0]?.source;
    expect(source).toEqual({
      ...postgres,
      port: 5432,
      tls: {}, // mode: verify off this machine, off on it (resolved when the source is built)
      columns: ['*'],
      watermark: { column: 'updated_at', type: 'timestamp' },
      batchSize: 500,
      pollIntervalMs: 5000,
      queryTimeoutMs: 30_000,
      overlapMs: 60_000,
      overlapValues: 1000,
      deletes: { mode: 'none', reconcileIntervalMs: 600_000, chunkSize: 1000 },
      retry: { baseMs: 1000, capMs: 60_000 },
    });
    const explicit = validateConfig(configWith({ ...postgres, columns: ['*'] }), 'agent.yaml').config
      .connections[0];
    expect(explicit?.source).toMatchObject({ columns: ['*'] });
    const mysql = validateConfig(configWith({ ...postgres, type: 'mysql' }), 'agent.yaml').config
      .connections[0];
    expect(mysql?.source).toMatchObject({ port: 3306 });
  });

  it('refuses table and column names that are not plain identifiers, naming query mode as the way out', () => {
    expect(problems({ ...postgres, table: 'orders; DROP TABLE x' })).toEqual([
      'connections[0].source.table: "orders; DROP TABLE x" is not a plain SQL identifier (letters, digits, _ and $, starting with a letter or _). ' +
        'Fix: use the plain name as the database stores it (case matters: it is quoted); for a view or a column with other characters, use query mode and rename it with AS in your SELECT',
    ]);
    expect(problems({ ...postgres, table: 'a.b.c' })[0]).toContain('has more than one "."');
    expect(problems({ ...postgres, primaryKey: ['id"--'] })[0]).toMatch(
      /^connections\[0\]\.source\.primaryKey\[0\]: "id"--" is not a plain SQL identifier/,
    );
    expect(problems({ ...postgres, watermark: { column: 'x'.repeat(64) } })[0]).toContain(
      'is 64 characters long, over the limit of 63',
    );
  });

  it('wants exactly one of table and query, and a single SELECT in query mode', () => {
    expect(problems({ ...postgres, table: undefined })).toEqual([
      'connections[0].source.table: neither table nor query is set. Fix: set table (table mode) or query (query mode), not both',
    ]);
    expect(problems({ ...postgres, query: 'SELECT 1' })[0]).toContain('both table and query are set');
    expect(problems({ ...postgres, table: undefined, query: 'DELETE FROM orders' })[0]).toContain(
      'must be a single SELECT (or WITH … SELECT) statement. Fix: write one SELECT',
    );
    expect(problems({ ...postgres, table: undefined, query: 'SELECT 1; DROP TABLE orders' })[0]).toContain(
      'contains ";": only one statement is allowed',
    );
    expect(
      problems({ ...postgres, table: undefined, query: 'select * from orders;', columns: ['a'] })[0],
    ).toBe(
      'connections[0].source.columns: columns only applies to table mode. Fix: choose the columns in your SELECT instead',
    );
  });

  it('refuses trigger deletes in query mode, "*" mixed with names, and repeated key columns', () => {
    expect(
      problems({
        ...postgres,
        table: undefined,
        query: 'SELECT * FROM orders',
        deletes: { mode: 'trigger' },
      }),
    ).toEqual([
      'connections[0].source.deletes: trigger mode needs table mode. Fix: set table, or use deletes.mode reconcile with a query',
    ]);
    expect(problems({ ...postgres, columns: ['*', 'id'] })[0]).toContain(
      '"*" cannot be combined with column names',
    );
    expect(problems({ ...postgres, primaryKey: ['id', 'id'] })[0]).toContain('a column is listed twice');
  });

  it('wants the password as a secret reference and a known source type', () => {
    expect(problems({ ...postgres, password: 'hunter2' })[0]).toContain(
      'connections[0].source.password: contains an inline secret; secrets are never stored in the config file',
    );
    expect(problems({ ...postgres, type: 'oracle' })[0]).toBe(
      'connections[0].source.type: "oracle" is not a known type. Fix: set type to one of: "folder", "sqlite", "postgres", "mysql", "odbc"',
    );
    expect(problems({ type: 'sqlite', table: 'orders', primaryKey: ['id'] })[0]).toContain(
      'connections[0].source.file: is required but missing',
    );
  });
});
