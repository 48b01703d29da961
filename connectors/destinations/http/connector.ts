// The HTTP API destination: its config schema, how it is built, its checks and certificates, and its network settings.
import { defineDestination } from '../../core/connector.js';
import { runNetworkDoctor } from '../../../main/diagnostics/doctor/index.js';
import type { CertificateSummary } from '../../../main/diagnostics/doctor/certificate-expiry.js';
import { httpDestinationSchema } from './config.js';
import { createHttpDestination } from './create-destination.js';
import { httpNetworkSettings } from './network-settings.js';

export const httpConnector = defineDestination({
  kind: 'destination',
  type: 'http',
  title: 'HTTP API',
  schema: httpDestinationSchema,
  capabilities: { batching: true },
  label: (config) => `${config.method} ${config.url}`,
  create: (config, { secrets }) => createHttpDestination(config, secrets),
  check: (config, options) => runNetworkDoctor(config, options),
  async certificates(config, options) {
    if (!config.url.startsWith('https:')) return [];
    const report = await runNetworkDoctor(config, options);
    const chain = report.checks.find((c) => c.id === 'tls')?.data?.['chain'] as
      CertificateSummary[] | undefined;
    const leaf = chain?.[0];
    const notAfter = leaf ? Date.parse(leaf.validTo) : Number.NaN;
    return leaf && Number.isFinite(notAfter) ? [{ subject: leaf.subject, notAfter }] : [];
  },
  network: httpNetworkSettings,
});
