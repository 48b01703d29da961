// The folder source: watches folders for exported files, captures each file whole or record by record.
import { defineSource } from '../../core/connector.js';
import { checkFolderSource } from './checks.js';
import { folderSourceSchema } from './config.js';
import { previewFolderRecords } from './records-preview.js';
import { FolderSource } from './source.js';

export const folderConnector = defineSource({
  kind: 'source',
  type: 'folder',
  title: 'Folder',
  schema: folderSourceSchema,
  label: (config) => `folder ${[config.path, ...config.paths].join(', ')}`,
  create: (config) => new FolderSource(config),
  check: (config) => checkFolderSource(config),
  preview: (config, options) => previewFolderRecords(config, options),
});
