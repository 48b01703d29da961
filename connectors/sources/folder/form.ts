// The connection wizard's form of the folder source: folder, file patterns, quiet period, and records mode.
import {
  listOf,
  listText,
  numberOf,
  objectAt,
  textOf,
  trimmed,
  withFields,
  type ConnectorForm,
  type ConnectorForms,
  type FormOption,
  type FormValues,
  type JsonObject,
  type JsonValue,
} from '../../core/connector-form.js';
import { folderSourceSchema } from './config.js';
import { recordEncodings } from './records/record-format-schema.js';

const captureModes: FormOption[] = [
  { value: 'file', label: 'Whole file: each file is one record' },
  { value: 'csv', label: 'CSV rows: each row is one record' },
  { value: 'json-array', label: 'JSON array: each element is one record' },
  { value: 'ndjson', label: 'NDJSON: each line is one record' },
  { value: 'xml', label: 'XML: each element at a path is one record' },
];
const encodings: FormOption[] = recordEncodings.map((e) => ({ value: e, label: e }));
const headerChoices: FormOption[] = [
  { value: 'yes', label: 'Yes: the first line names the columns' },
  { value: 'no', label: 'No: records are lists of fields' },
];
const records = (values: FormValues) => (values.capture ?? 'file') !== 'file';
const csv = (values: FormValues) => values.capture === 'csv';

/** The `records` section for the chosen format; what the form does not show is kept when the format stays. */
function recordsSection(values: FormValues, base: JsonObject): JsonValue | undefined {
  const format = values.capture ?? 'file';
  if (format === 'file') return undefined;
  const kept = base.format === format ? base : {};
  const keyColumn = trimmed(values, 'keyColumn');
  return withFields(kept, {
    format,
    encoding: values.encoding || 'utf-8',
    keyColumn: keyColumn || undefined,
    ...(format === 'csv'
      ? {
          delimiter: values.delimiter === '\\t' ? '\t' : values.delimiter || ',',
          header: Array.isArray(kept.header) ? kept.header : values.header !== 'no',
        }
      : {}),
    ...(format === 'xml' ? { recordPath: trimmed(values, 'recordPath') } : {}),
  });
}

export const folderSourceForm: ConnectorForm = {
  kind: 'source',
  type: 'folder',
  title: 'Folder (files dropped by other software)',
  order: 10,
  fields: [
    {
      name: 'path',
      label: 'Folder',
      kind: 'text',
      required: true,
      help: 'The folder other software writes files into',
      path: ['path'],
    },
    {
      name: 'include',
      label: 'Files to pick up',
      kind: 'list',
      required: true,
      help: 'Glob patterns, comma-separated, e.g. **/*.csv',
      path: ['include'],
    },
    {
      name: 'quietPeriodMs',
      label: 'Quiet period (ms)',
      kind: 'number',
      help: 'A file counts as finished once unchanged this long',
      path: ['quietPeriodMs'],
    },
    {
      name: 'capture',
      label: 'Capture',
      kind: 'select',
      options: captureModes,
      help: 'Records mode reads each file as it streams and sends every row as its own change; bad rows become dead letters with file, line and reason',
      path: ['records', 'format'],
    },
    {
      name: 'delimiter',
      label: 'Delimiter',
      kind: 'text',
      placeholder: ',',
      help: 'Field separator: , ; | or \\t for a tab',
      showWhen: csv,
      path: ['records', 'delimiter'],
    },
    {
      name: 'header',
      label: 'Header line',
      kind: 'select',
      options: headerChoices,
      showWhen: csv,
      path: ['records', 'header'],
    },
    {
      name: 'recordPath',
      label: 'Record element path',
      kind: 'text',
      required: true,
      placeholder: 'Export/Invoices/Invoice',
      showWhen: (values) => values.capture === 'xml',
      path: ['records', 'recordPath'],
    },
    {
      name: 'encoding',
      label: 'Text encoding',
      kind: 'select',
      options: encodings,
      showWhen: records,
      path: ['records', 'encoding'],
    },
    {
      name: 'keyColumn',
      label: 'Key column',
      kind: 'text',
      help: 'Optional: the column that identifies a row, so an unchanged row in a later export is not sent again',
      showWhen: records,
      path: ['records', 'keyColumn'],
    },
  ],
  fromConfig: (section) => {
    const r = objectAt(section.records);
    const delimiter = textOf(r.delimiter, ',');
    return {
      path: textOf(section.path),
      include: listText(section.include, '**/*'),
      quietPeriodMs: textOf(section.quietPeriodMs, '2000'),
      capture: captureModes.find((m) => m.value === r.format)?.value ?? 'file',
      delimiter: delimiter === '\t' ? '\\t' : delimiter,
      header: r.header === false ? 'no' : 'yes',
      recordPath: textOf(r.recordPath),
      encoding: textOf(r.encoding, 'utf-8'),
      keyColumn: textOf(r.keyColumn),
    };
  },
  toConfig: (values, base) =>
    withFields(base, {
      type: 'folder',
      path: trimmed(values, 'path'),
      include: listOf(values, 'include'),
      quietPeriodMs: numberOf(values, 'quietPeriodMs'),
      records: recordsSection(values, objectAt(base.records)),
    }),
  schema: folderSourceSchema,
};

export const connectorForms: ConnectorForms = [folderSourceForm];
