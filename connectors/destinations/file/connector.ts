// The file destination: its config schema, how it is built and its checks (no certificates, no network settings).
import { defineDestination } from '../../core/connector.js';
import { checkFileDestination } from './checks.js';
import { fileDestinationSchema } from './config.js';
import { createFileDestination } from './create-destination.js';

export const fileConnector = defineDestination({
  kind: 'destination',
  type: 'file',
  title: 'Folder (files)',
  schema: fileDestinationSchema,
  capabilities: { batching: true },
  label: (config) => `files into ${config.folder}`,
  create: (config) => createFileDestination(config),
  check: checkFileDestination,
});
