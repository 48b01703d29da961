// The connection wizard's form of the folder source: folder, file patterns, quiet period.
import {
  listOf,
  listText,
  numberOf,
  textOf,
  trimmed,
  withFields,
  type ConnectorForm,
  type ConnectorForms,
} from '../../core/connector-form.js';
import { folderSourceSchema } from './config.js';

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
  ],
  fromConfig: (section) => ({
    path: textOf(section.path),
    include: listText(section.include, '**/*'),
    quietPeriodMs: textOf(section.quietPeriodMs, '2000'),
  }),
  toConfig: (values, base) =>
    withFields(base, {
      type: 'folder',
      path: trimmed(values, 'path'),
      include: listOf(values, 'include'),
      quietPeriodMs: numberOf(values, 'quietPeriodMs'),
    }),
  schema: folderSourceSchema,
};

export const connectorForms: ConnectorForms = [folderSourceForm];
