// The connection wizard's forms of the database sources (sqlite, postgres, mysql, odbc): where the table is, and how to read it.
import {
  listOf,
  listText,
  numberOf,
  objectAt,
  secretNameOf,
  secretRefOf,
  textOf,
  trimmed,
  withFields,
  type ConnectorForm,
  type ConnectorForms,
  type FormField,
  type FormValues,
  type JsonObject,
  type JsonValue,
} from '../../core/connector-form.js';
import { mysqlSourceSchema, odbcDialects, odbcSourceSchema, sqliteSourceSchema } from './config.js';
import { postgresCaptureSchema } from './logical/config.js';

const captureFields: FormField[] = [
  { name: 'table', label: 'Table', kind: 'text', path: ['table'] },
  {
    name: 'primaryKey',
    label: 'Primary key columns',
    kind: 'list',
    required: true,
    help: 'Comma-separated',
    path: ['primaryKey'],
  },
  {
    name: 'watermarkColumn',
    label: 'Watermark column',
    kind: 'text',
    help: 'A column that grows with every change (updated_at); empty: compare whole rows (small tables only)',
    path: ['watermark', 'column'],
  },
];

const networkFields: FormField[] = [
  { name: 'host', label: 'Host', kind: 'text', required: true, path: ['host'] },
  { name: 'port', label: 'Port', kind: 'number', help: 'Empty: the default port', path: ['port'] },
  { name: 'database', label: 'Database', kind: 'text', required: true, path: ['database'] },
  {
    name: 'user',
    label: 'Login',
    kind: 'text',
    required: true,
    help: 'A read-only login is recommended',
    path: ['user'],
  },
  {
    name: 'password',
    label: 'Password secret name',
    kind: 'secret',
    help: 'Name of the secret holding the password (set it under Settings → Secrets)',
    path: ['password'],
  },
];

const captureValues = (section: JsonObject): FormValues => ({
  table: textOf(section.table),
  primaryKey: listText(section.primaryKey, 'id'),
  watermarkColumn: textOf(objectAt(section.watermark).column),
});

/** Table mode; a saved query (query mode, not in the form) stays while the table is left empty. */
function captureSection(values: FormValues, base: JsonObject): Record<string, JsonValue | undefined> {
  const table = trimmed(values, 'table');
  const column = trimmed(values, 'watermarkColumn');
  return {
    table: table !== '' || base.query === undefined ? table : undefined,
    primaryKey: listOf(values, 'primaryKey'),
    watermark: column ? { ...objectAt(base.watermark), column } : undefined,
  };
}

export const sqliteSourceForm: ConnectorForm = {
  kind: 'source',
  type: 'sqlite',
  title: 'SQLite database file',
  order: 20,
  fields: [
    {
      name: 'file',
      label: 'Database file',
      kind: 'text',
      required: true,
      help: 'Opened read-only',
      path: ['file'],
    },
    ...captureFields,
  ],
  fromConfig: (section) => ({ file: textOf(section.file), ...captureValues(section) }),
  toConfig: (values, base) =>
    withFields(base, { type: 'sqlite', file: trimmed(values, 'file'), ...captureSection(values, base) }),
  schema: sqliteSourceSchema,
};

function networkForm(
  type: 'postgres' | 'mysql',
  title: string,
  order: number,
  schema: ConnectorForm['schema'],
) {
  const form: ConnectorForm = {
    kind: 'source',
    type,
    title,
    order,
    fields: [...networkFields, ...captureFields],
    fromConfig: (section) => ({
      host: textOf(section.host),
      port: textOf(section.port),
      database: textOf(section.database),
      user: textOf(section.user),
      password: secretNameOf(section.password),
      ...captureValues(section),
    }),
    toConfig: (values, base) =>
      withFields(base, {
        type,
        host: trimmed(values, 'host'),
        port: numberOf(values, 'port'),
        database: trimmed(values, 'database'),
        user: trimmed(values, 'user'),
        password: secretRefOf(values, 'password'),
        ...captureSection(values, base),
      }),
    schema,
  };
  return form;
}

const pollingPostgresForm = networkForm('postgres', 'PostgreSQL', 30, postgresCaptureSchema);
const logical = (values: FormValues) => values.mode === 'logical';
const polling = (values: FormValues) => !logical(values);

/** PostgreSQL: poll a table by its watermark, or stream every change of some tables from the WAL (logical decoding). */
export const postgresSourceForm: ConnectorForm = {
  ...pollingPostgresForm,
  fields: [
    ...networkFields,
    {
      name: 'mode',
      label: 'How to capture',
      kind: 'select',
      options: [
        { value: 'poll', label: 'Poll a table (watermark column)' },
        { value: 'logical', label: 'Stream every change from the write-ahead log (logical decoding)' },
      ],
      help: 'Logical decoding needs wal_level=logical and a REPLICATION login; see docs/logical-decoding.md',
      path: ['mode'],
    },
    ...captureFields.map((field) => ({ ...field, showWhen: polling })),
    {
      name: 'tables',
      label: 'Tables',
      kind: 'list',
      required: true,
      help: 'Comma-separated, table or schema.table; then run `integration-agent capture setup <connection>`',
      showWhen: logical,
      path: ['tables'],
    },
    {
      name: 'slot',
      label: 'Replication slot',
      kind: 'text',
      help: 'Empty: integration_agent. One slot per connection',
      showWhen: logical,
      path: ['slot'],
    },
    {
      name: 'publication',
      label: 'Publication',
      kind: 'text',
      help: 'Empty: integration_agent',
      showWhen: logical,
      path: ['publication'],
    },
  ],
  fromConfig: (section) => ({
    ...pollingPostgresForm.fromConfig(section),
    mode: section.mode === 'logical' ? 'logical' : 'poll',
    tables: listText(section.tables, ''),
    slot: textOf(section.slot),
    publication: textOf(section.publication),
  }),
  toConfig: (values, base) => {
    const section = pollingPostgresForm.toConfig(values, base);
    if (!logical(values)) {
      return withFields(section, {
        mode: undefined,
        tables: undefined,
        slot: undefined,
        publication: undefined,
      });
    }
    return withFields(section, {
      mode: 'logical',
      table: undefined,
      query: undefined,
      primaryKey: undefined,
      watermark: undefined,
      tables: listOf(values, 'tables'),
      slot: trimmed(values, 'slot') || undefined,
      publication: trimmed(values, 'publication') || undefined,
    });
  },
};
export const mysqlSourceForm = networkForm('mysql', 'MySQL / MariaDB table', 40, mysqlSourceSchema);

/** ODBC: a DSN or a connection string; "Test connection" lists the drivers and DSNs installed on the agent's machine. */
export const odbcSourceForm: ConnectorForm = {
  kind: 'source',
  type: 'odbc',
  title: 'ODBC database (SQL Server, Oracle, Access, …)',
  order: 50,
  fields: [
    {
      name: 'dsn',
      label: 'Data source name (DSN)',
      kind: 'text',
      help: 'A DSN set up on the agent machine; or leave empty and write a connection string. "Test connection" lists the installed DSNs and drivers',
      path: ['dsn'],
    },
    {
      name: 'connectionString',
      label: 'Connection string',
      kind: 'text',
      placeholder: 'Driver={ODBC Driver 18 for SQL Server};Server=db;Database=erp',
      help: 'Without the password (it comes from the secret below); see docs/odbc-sources.md',
      path: ['connectionString'],
    },
    {
      name: 'user',
      label: 'Login',
      kind: 'text',
      help: 'Sent as UID; a read-only login is recommended',
      path: ['user'],
    },
    {
      name: 'password',
      label: 'Password secret name',
      kind: 'secret',
      help: 'Name of the secret holding the password, sent as PWD (set it under Settings → Secrets)',
      path: ['password'],
    },
    {
      name: 'dialect',
      label: 'SQL dialect',
      kind: 'select',
      options: [
        { value: '', label: 'Found from the driver' },
        ...odbcDialects.map((dialect) => ({ value: dialect, label: dialect })),
      ],
      path: ['dialect'],
    },
    ...captureFields,
  ],
  fromConfig: (section) => ({
    dsn: textOf(section.dsn),
    connectionString: textOf(section.connectionString),
    user: textOf(section.user),
    password: secretNameOf(section.password),
    dialect: textOf(section.dialect),
    ...captureValues(section),
  }),
  toConfig: (values, base) =>
    withFields(base, {
      type: 'odbc',
      dsn: trimmed(values, 'dsn') || undefined,
      connectionString: trimmed(values, 'connectionString') || undefined,
      user: trimmed(values, 'user') || undefined,
      password: secretRefOf(values, 'password'),
      dialect: trimmed(values, 'dialect') || undefined,
      ...captureSection(values, base),
    }),
  schema: odbcSourceSchema,
};

export const connectorForms: ConnectorForms = [
  sqliteSourceForm,
  postgresSourceForm,
  mysqlSourceForm,
  odbcSourceForm,
];
