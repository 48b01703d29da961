// The database sources' wizard forms: round trips, schema issues on their fields, edit mode keeps hidden fields.
import { describe, expect, it } from 'vitest';
import { checkForm, shownFields, type JsonObject } from '../../../../connectors/core/connector-form.js';
import {
  connectorForms,
  mysqlSourceForm,
  odbcSourceForm,
  postgresSourceForm,
  sqliteSourceForm,
} from '../../../../connectors/sources/database/form.js';

const postgres: JsonObject = {
  type: 'postgres',
  host: 'db.local',
  port: 5433,
  database: 'erp',
  user: 'reader',
  password: { secretRef: 'erp-db' },
  table: 'public.invoices',
  primaryKey: ['id', 'line'],
  watermark: { column: 'updated_at' },
};

describe('database source forms', () => {
  it('offers one form per database type, each validated by its own schema', () => {
    expect(connectorForms.map((form) => [form.kind, form.type])).toEqual([
      ['source', 'sqlite'],
      ['source', 'postgres'],
      ['source', 'mysql'],
      ['source', 'odbc'],
    ]);
    expect(sqliteSourceForm.fromConfig({})).toEqual({
      file: '',
      table: '',
      primaryKey: 'id',
      watermarkColumn: '',
    });
    expect(shownFields(sqliteSourceForm, {}).map((field) => field.label)).toEqual([
      'Database file',
      'Table',
      'Primary key columns',
      'Watermark column',
    ]);
  });

  it('reads a saved PostgreSQL section into fields and writes the same section back', () => {
    const values = postgresSourceForm.fromConfig(postgres);
    expect(values).toEqual({
      host: 'db.local',
      port: '5433',
      database: 'erp',
      user: 'reader',
      password: 'erp-db',
      table: 'public.invoices',
      primaryKey: 'id, line',
      watermarkColumn: 'updated_at',
      mode: 'poll',
      tables: '',
      slot: '',
      publication: '',
    });
    expect(postgresSourceForm.toConfig(values, {})).toEqual(postgres);
    expect(checkForm(postgresSourceForm, values, {})).toEqual({ fields: {}, other: [] });
  });

  it('writes a MySQL section without the optional port, password and watermark when they are empty', () => {
    const values = { ...mysqlSourceForm.fromConfig(postgres), port: '', password: '', watermarkColumn: '' };
    expect(mysqlSourceForm.toConfig(values, {})).toEqual({
      type: 'mysql',
      host: 'db.local',
      database: 'erp',
      user: 'reader',
      table: 'public.invoices',
      primaryKey: ['id', 'line'],
    });
  });

  it('puts a missing or malformed table on the table field with the schema message', () => {
    const values = { file: '/data/shop.db', table: '', primaryKey: 'id', watermarkColumn: '' };
    expect(checkForm(sqliteSourceForm, values, {}).fields).toEqual({ table: 'is empty' });
    expect(checkForm(sqliteSourceForm, { ...values, table: 'orders;drop' }, {}).fields).toEqual({
      table:
        '"orders;drop" is not a plain SQL identifier (letters, digits, _ and $, starting with a letter or _)',
    });
  });

  it('maps issues below a field (a list item, a secret reference) to that field', () => {
    const values = {
      ...postgresSourceForm.fromConfig(postgres),
      host: '',
      port: 'none',
      password: 'erp db',
      primaryKey: 'id, line no',
      watermarkColumn: 'updated at',
    };
    const { fields, other } = checkForm(postgresSourceForm, values, {});
    expect(other).toEqual([]);
    expect(fields.host).toBe('is required');
    expect(fields.port).toBe('Invalid input: expected number, received string');
    expect(fields.password).toMatch(/^is not a valid secret name/);
    expect(fields.primaryKey).toMatch(/^"line no" is not a plain SQL identifier/);
    expect(fields.watermarkColumn).toMatch(/^"updated at" is not a plain SQL identifier/);
  });

  it("maps the schema's whole-section checks to the field they name", () => {
    const values = { ...postgresSourceForm.fromConfig(postgres), primaryKey: 'id, id' };
    expect(checkForm(postgresSourceForm, values, {})).toEqual({
      fields: { primaryKey: 'a column is listed twice' },
      other: [],
    });
  });

  it('keeps fields the form does not show in edit mode, including a query-mode SELECT', () => {
    const base: JsonObject = {
      type: 'sqlite',
      file: '/data/shop.db',
      query: 'SELECT id, total FROM orders',
      primaryKey: ['id'],
      watermark: { column: 'id', type: 'integer' },
      pollIntervalMs: 1000,
    };
    const values = { ...sqliteSourceForm.fromConfig(base), watermarkColumn: 'version' };
    expect(sqliteSourceForm.toConfig(values, base)).toEqual({
      ...base,
      watermark: { column: 'version', type: 'integer' },
    });
    expect(checkForm(sqliteSourceForm, values, base)).toEqual({ fields: {}, other: [] });
    const cleared = sqliteSourceForm.toConfig({ ...values, watermarkColumn: '' }, base);
    expect(cleared).not.toHaveProperty('watermark');
  });
});

describe('ODBC source form', () => {
  it('writes a DSN-less section with its login secret and leaves the dialect to detection when it is not chosen', () => {
    const values = {
      ...odbcSourceForm.fromConfig({}),
      connectionString: 'Driver={ODBC Driver 18 for SQL Server};Server=db;Database=erp',
      user: 'reader',
      password: 'erp-db',
      table: 'dbo.Orders',
      primaryKey: 'OrderId',
      watermarkColumn: 'UpdatedAt',
    };
    const section = odbcSourceForm.toConfig(values, {});
    expect(section).toEqual({
      type: 'odbc',
      connectionString: 'Driver={ODBC Driver 18 for SQL Server};Server=db;Database=erp',
      user: 'reader',
      password: { secretRef: 'erp-db' },
      table: 'dbo.Orders',
      primaryKey: ['OrderId'],
      watermark: { column: 'UpdatedAt' },
    });
    expect(odbcSourceForm.fromConfig(section)).toEqual({ ...values, dsn: '', dialect: '' });
    expect(checkForm(odbcSourceForm, values, {})).toEqual({ fields: {}, other: [] });
  });

  it('asks for a DSN or a connection string, and refuses a password written into the string', () => {
    const values = { ...odbcSourceForm.fromConfig({}), table: 'orders' };
    expect(checkForm(odbcSourceForm, values, {}).fields).toEqual({
      dsn: 'neither dsn nor connectionString is set',
    });
    expect(
      checkForm(odbcSourceForm, { ...values, connectionString: 'DSN=erp;PWD=secret' }, {}).fields,
    ).toEqual({ connectionString: 'holds a password (PWD=…): config files must not contain secrets' });
  });

  it('offers logical decoding for PostgreSQL: tables, slot and publication instead of the polling fields', () => {
    const values = {
      ...postgresSourceForm.fromConfig(postgres),
      mode: 'logical',
      tables: 'public.invoices, public.customers',
      slot: 'erp_slot',
    };
    expect(shownFields(postgresSourceForm, values).map((field) => field.name)).toEqual([
      'host',
      'port',
      'database',
      'user',
      'password',
      'mode',
      'tables',
      'slot',
      'publication',
    ]);
    const section = postgresSourceForm.toConfig(values, postgres);
    expect(section).toEqual({
      type: 'postgres',
      mode: 'logical',
      host: 'db.local',
      port: 5433,
      database: 'erp',
      user: 'reader',
      password: { secretRef: 'erp-db' },
      tables: ['public.invoices', 'public.customers'],
      slot: 'erp_slot',
    });
    expect(checkForm(postgresSourceForm, values, postgres)).toEqual({ fields: {}, other: [] });
    expect(postgresSourceForm.fromConfig(section)).toMatchObject({ mode: 'logical', slot: 'erp_slot' });
    expect(checkForm(postgresSourceForm, { ...values, tables: '' }, postgres).fields).toEqual({
      tables: 'is required',
    });
    expect(checkForm(postgresSourceForm, { ...values, slot: 'Bad-Slot' }, postgres).fields.slot).toMatch(
      /lower-case letters/,
    );
    // Back to polling: the logical fields go, the polling ones come back.
    const polling = postgresSourceForm.toConfig(
      { ...values, mode: 'poll', table: 'public.invoices' },
      section,
    );
    expect(polling).not.toHaveProperty('mode');
    expect(polling).not.toHaveProperty('tables');
    expect(polling).toMatchObject({ table: 'public.invoices', primaryKey: ['id', 'line'] });
  });
});
