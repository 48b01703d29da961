// Looks at the TLS certificate of every HTTPS destination a minute after start and then every 6 hours, for the
// "certificate expiring within N days" alert. Only the handshake matters here: no secret is loaded for it.
import type { Logger } from 'pino';
import type { AlertMonitor } from '../alerts/alert-monitor.js';
import type { CertificateExpiry } from '../alerts/alert-types.js';
import { httpCertificates } from '../../connectors/destinations/http/doctor/index.js';
import type { Engine } from '../engine/engine.js';
import { resolverOf } from '../../connectors/core/secret-ref.js';

const firstCheckMs = 60_000;
const everyMs = 6 * 60 * 60 * 1000;

/** The leaf certificate's expiry of each HTTPS destination that answered the handshake. */
export async function destinationCertificates(
  engine: Pick<Engine, 'currentConfig'>,
): Promise<CertificateExpiry[]> {
  const found: CertificateExpiry[] = [];
  for (const connection of engine.currentConfig().connections) {
    const destination = connection.destination;
    if (!connection.enabled || !destination.url.startsWith('https:')) continue;
    const certificates = await httpCertificates(destination, {
      secrets: resolverOf(new Map()),
      timeoutMs: 10_000,
      connection: connection.id,
    });
    for (const { notAfter, subject } of certificates)
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
