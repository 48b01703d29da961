// The leaf certificate an amqps broker presents, for the certificate-expiry alert: a TLS handshake only, no login.
import type { CertificateFacts, CheckOptions } from '../../core/connector.js';
import { brokerAddress, type AmqpDestinationConfig } from './config.js';
import { tlsProbe } from './socket-probes.js';
import { loadTls } from './tls-files.js';

/** The broker's leaf certificate for amqps://; none for plain amqp:// or when the broker does not answer. */
export async function amqpCertificates(
  config: AmqpDestinationConfig,
  options: CheckOptions,
): Promise<CertificateFacts[]> {
  const address = brokerAddress(config.url);
  if (!address.tls) return [];
  try {
    const facts = await tlsProbe(
      address.hostname,
      address.port,
      loadTls(config.tls, address.hostname),
      options.timeoutMs,
    );
    const notAfter = Date.parse(facts.validTo);
    return Number.isFinite(notAfter) ? [{ subject: facts.subject, notAfter }] : [];
  } catch {
    return []; // unreachable or untrusted: the checks report that
  }
}
