// The HTTP API destination: its config schema, how it is built, its checks and certificates, and its network settings.
import { defineDestination } from '../../core/connector.js';
import { httpDestinationSchema } from './config.js';
import { createHttpDestination } from './create-destination.js';
import { httpCertificates } from './doctor/certificates.js';
import { httpNetworkSettings } from './network-settings.js';

export const httpConnector = defineDestination({
  kind: 'destination',
  type: 'http',
  title: 'HTTP API',
  schema: httpDestinationSchema,
  capabilities: { batching: true },
  label: (config) => `${config.method} ${config.url}`,
  create: (config, { secrets }) => createHttpDestination(config, secrets),
  // The network doctor loads when a check runs (doctor, connection test), not with every agent.
  check: async (config, options) => (await import('./doctor/index.js')).runHttpDoctor(config, options),
  certificates: httpCertificates,
  network: httpNetworkSettings,
});
