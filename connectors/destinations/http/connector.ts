// The HTTP API destination: its config schema, how it is built, its checks and certificates, and its network settings.
import { defineDestination } from '../../core/connector.js';
import { httpDestinationSchema } from './config.js';
import { createHttpDestination } from './create-destination.js';
import { httpCertificates, runHttpDoctor } from './doctor/index.js';
import { httpNetworkSettings } from './network-settings.js';

export const httpConnector = defineDestination({
  kind: 'destination',
  type: 'http',
  title: 'HTTP API',
  schema: httpDestinationSchema,
  capabilities: { batching: true },
  label: (config) => `${config.method} ${config.url}`,
  create: (config, { secrets }) => createHttpDestination(config, secrets),
  check: runHttpDoctor,
  certificates: httpCertificates,
  network: httpNetworkSettings,
});
