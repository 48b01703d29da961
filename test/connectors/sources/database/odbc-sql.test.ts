// The dialects ODBC drivers speak: found from driver names, and the paging and quoting capture writes for each.
import { expect, it } from 'vitest';
import { dialectOfName, driverOf } from '../../../../connectors/sources/database/odbc-dialect.js';
import { attributeValue, odbcTarget } from '../../../../connectors/sources/database/odbc-target.js';
import { odbcSourceSchema } from '../../../../connectors/sources/database/config.js';
import { SqlBuilder } from '../../../../connectors/sources/database/sql-builder.js';
import { triggerSql } from '../../../../connectors/sources/database/trigger-sql.js';

it('finds the dialect from the usual driver names on Linux and Windows', () => {
  expect(
    [
      'PostgreSQL Unicode',
      'MariaDB Unicode',
      'MySQL ODBC 8.0 Unicode Driver',
      'SQLite3',
      'ODBC Driver 18 for SQL Server',
      'SQL Server Native Client 11.0',
      'FreeTDS',
      'Oracle in instantclient_21_13',
      'MDBTools',
      'Microsoft Access Driver (*.mdb, *.accdb)',
    ].map(dialectOfName),
  ).toEqual([
    'postgres',
    'mysql',
    'mysql',
    'sqlite',
    'mssql',
    'mssql',
    'mssql',
    'oracle',
    'access',
    'access',
  ]);
  expect(dialectOfName('Acme Line-of-Business Driver')).toBeUndefined();
  expect(driverOf('Server=db;Driver={ODBC Driver 18 for SQL Server};Encrypt=yes')).toBe(
    'ODBC Driver 18 for SQL Server',
  );
  expect(driverOf('DRIVER=SQLite3;Database=/srv/erp.db')).toBe('SQLite3');
});

it('pages with LIMIT, TOP or FETCH FIRST and quotes names the way each dialect does, with ? placeholders', () => {
  const page = (dialect: 'postgres' | 'mssql' | 'oracle' | 'access') =>
    new SqlBuilder({
      dialect,
      placeholders: 'question',
      table: 'dbo.Orders',
      columns: ['*'],
      watermark: { column: 'UpdatedAt', type: 'timestamp' },
      primaryKey: ['OrderId'],
    }).page(100, { after: ['2026-01-01 10:00:00', 7] }).text;
  expect(page('postgres')).toBe(
    'SELECT * FROM "dbo"."Orders" WHERE "UpdatedAt" >= ? AND (("UpdatedAt" > ?) OR ("UpdatedAt" = ? AND "OrderId" > ?)) ' +
      'ORDER BY "UpdatedAt" ASC, "OrderId" ASC LIMIT 100',
  );
  expect(page('mssql')).toMatch(
    /^SELECT TOP \(100\) \* FROM \[dbo\]\.\[Orders\] WHERE \[UpdatedAt\] >= \? .* ASC$/,
  );
  expect(page('access')).toMatch(/^SELECT TOP 100 \* FROM \[dbo\]\.\[Orders\] /);
  expect(page('oracle')).toMatch(
    /^SELECT \* FROM "dbo"\."Orders" .* ORDER BY "UpdatedAt" ASC, "OrderId" ASC FETCH FIRST 100 ROWS ONLY$/,
  );
  const query = new SqlBuilder({
    dialect: 'oracle',
    placeholders: 'question',
    query: 'SELECT * FROM orders',
    columns: ['*'],
    primaryKey: ['ID'],
  }).page(10, {}).text;
  expect(query).toBe('SELECT * FROM (SELECT * FROM orders\n) src ORDER BY "ID" ASC FETCH FIRST 10 ROWS ONLY');
});

it('refuses trigger mode where it has no trigger SQL, saying to reconcile', () => {
  expect(() => triggerSql({ dialect: 'mssql', table: 'Orders', primaryKey: ['OrderId'] })).toThrow(
    /trigger mode is not available for mssql databases\. Fix: use deletes.mode reconcile/,
  );
});

it('adds the login and the secret password to the connection string, in braces only when needed', () => {
  const config = odbcSourceSchema.parse({
    type: 'odbc',
    connectionString: 'Driver=SQLite3;Database=/srv/erp.db;',
    user: 'capture',
    password: { secretRef: 'erp' },
    table: 'orders',
    primaryKey: ['id'],
  });
  const target = odbcTarget(config, 'p;w}d');
  expect(target.connectionString).toBe(
    'Driver=SQLite3;Database=/srv/erp.db;BigInt=1;UID=capture;PWD={p;w}}d}',
  );
  expect(target.database).toBe('Driver=SQLite3;Database=/srv/erp.db'); // the identity holds no password
  expect(attributeValue('plain')).toBe('plain');
});
