// The leaf certificate an HTTPS destination presents, for the certificate-expiry alert: only the doctor's connection
// steps run (DNS, TCP, proxy, TLS handshake); no request is sent.
import type { HttpDestinationConfig } from '../config.js';
import type { CertificateFacts, CheckOptions } from '../../../core/connector.js';
import type { CertificateSummary } from './certificate-expiry.js';
import { checkConnection } from './connection-checks.js';
import { planConnection } from './connection-plan.js';

/** The leaf certificate of an https destination that answered the handshake; none for http or no answer. */
export async function httpCertificates(
  config: HttpDestinationConfig,
  options: CheckOptions,
): Promise<CertificateFacts[]> {
  if (!config.url.startsWith('https:')) return [];
  const url = new URL(config.url);
  const plan = planConnection(config, url, options, options.env ?? process.env);
  const { checks } = await checkConnection(plan);
  const chain = checks.find((check) => check.id === 'tls')?.data?.['chain'] as
    CertificateSummary[] | undefined;
  const leaf = chain?.[0];
  const notAfter = leaf ? Date.parse(leaf.validTo) : Number.NaN;
  return leaf && Number.isFinite(notAfter) ? [{ subject: leaf.subject, notAfter }] : [];
}
