// Looks at the certificates every destination presents a minute after start and then every 6 hours, for the
// "certificate expiring within N days" alert. Each connector says which certificates it has; no secret is loaded for it.
import type { Logger } from 'pino';
import { resolverOf } from '../../connectors/core/secret-ref.js';
import { destinationConnectorFor } from '../../connectors/registry.js';
import type { AlertMonitor } from '../alerts/alert-monitor.js';
import type { CertificateExpiry } from '../alerts/alert-types.js';
import type { Engine } from './engine.js';

const firstCheckMs = 60_000;
const everyMs = 6 * 60 * 60 * 1000;

/** The leaf certificate's expiry of each enabled destination that presents one and answered. */
export async function destinationCertificates(
  engine: Pick<Engine, 'currentConfig'>,
): Promise<CertificateExpiry[]> {
  const found: CertificateExpiry[] = [];
  for (const connection of engine.currentConfig().connections) {
    const connector = destinationConnectorFor(connection.destination);
    if (!connection.enabled || !connector.certificates) continue;
    const certificates = await connector.certificates(connection.destination, {
      secrets: resolverOf(new Map()),
      timeoutMs: 10_000,
      connection: connection.id,
    });
    for (const { subject, notAfter } of certificates)
      found.push({ destination: connection.id, notAfter, subject });
  }
  return found;
}

export function watchCertificates(engine: Engine, alerts: AlertMonitor, logger: Logger): () => void {
  let running = false;
  const check = () => {
    if (running) return;
    running = true;
    destinationCertificates(engine)
      .then((certificates) => alerts.update({ certificates }))
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'the certificate check failed; trying again later'),
      )
      .finally(() => (running = false));
  };
  const first = setTimeout(check, firstCheckMs);
  const timer = setInterval(check, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
