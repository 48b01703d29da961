// The connection wizard's form of the file destination: drop folder, file names, batching and folder creation.
import {
  objectAt,
  textOf,
  trimmed,
  withFields,
  type ConnectorForm,
  type ConnectorForms,
  type FormOption,
} from '../../core/connector-form.js';
import { fileDestinationSchema } from './config.js';

const batchFormats: FormOption[] = [
  { value: 'none', label: 'One file per record' },
  { value: 'ndjson', label: 'NDJSON files (one per batch)' },
];
const yesNo: FormOption[] = [
  { value: 'no', label: 'No: the folder must exist' },
  { value: 'yes', label: 'Yes: create it when missing' },
];

export const fileDestinationForm: ConnectorForm = {
  kind: 'destination',
  type: 'file',
  title: 'Folder (files)',
  order: 20,
  fields: [
    {
      name: 'folder',
      label: 'Destination folder',
      kind: 'text',
      required: true,
      placeholder: '/srv/drop or \\\\server\\share\\drop',
      help: 'Absolute path; each file is written completely (fsync) before it appears, and never overwritten',
      path: ['folder'],
    },
    {
      name: 'fileName',
      label: 'File name',
      kind: 'text',
      placeholder: '{{idempotencyKey}}.json',
      help: 'Empty: {{idempotencyKey}}.json ({{idempotencyKey}}.ndjson for batches); may use {{businessKey}}, {{date}}, {{record.<field>}}',
      path: ['fileName'],
    },
    {
      name: 'batchFormat',
      label: 'Batching',
      kind: 'select',
      options: batchFormats,
      path: ['batch', 'format'],
    },
    {
      name: 'createFolder',
      label: 'Create the folder',
      kind: 'select',
      options: yesNo,
      path: ['createFolder'],
    },
  ],
  fromConfig: (section) => ({
    folder: textOf(section.folder),
    fileName: textOf(section.fileName),
    batchFormat: objectAt(section.batch).format === 'ndjson' ? 'ndjson' : 'none',
    createFolder: section.createFolder === true ? 'yes' : 'no',
  }),
  toConfig: (values, base) => {
    const { fileName: _previous, ...rest } = base;
    const fileName = trimmed(values, 'fileName');
    return withFields(rest, {
      type: 'file',
      folder: trimmed(values, 'folder'),
      ...(fileName ? { fileName } : {}),
      batch: { ...objectAt(base.batch), format: values.batchFormat ?? 'none' },
      createFolder: values.createFolder === 'yes',
    });
  },
  schema: fileDestinationSchema,
};

export const connectorForms: ConnectorForms = [fileDestinationForm];
