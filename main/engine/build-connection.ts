// Builds a connection's source, destination and dispatcher from its config; a bad connection fails alone.
import type { Logger } from 'pino';
import { rateLimitPolicy } from '../../connectors/core/delivery-policy-config.js';
import type { Destination } from '../../connectors/core/destination.js';
import type { Source } from '../../connectors/core/source.js';
import { createRequestAuth } from '../../connectors/destinations/http/auth/request-auth.js';
import type { HttpDestinationConfig } from '../../connectors/destinations/http/config.js';
import { HttpDestination } from '../../connectors/destinations/http/destination.js';
import { createHttpTransport, describeTransportError } from '../../connectors/destinations/http/transport.js';
import { createDatabaseSource } from '../../connectors/sources/database/create-source.js';
import { FolderSource } from '../../connectors/sources/folder/source.js';
import type { ConnectionConfig } from '../config/schema.js';
import { CircuitBreaker } from '../delivery/circuit-breaker.js';
import { DeliveryGate } from '../delivery/delivery-gate.js';
import { Dispatcher } from '../delivery/dispatcher.js';
import { SendingSchedule } from '../delivery/sending-window.js';
import { TokenBucket } from '../delivery/token-bucket.js';
import type { Outbox } from '../outbox/outbox.js';
import { resolverOf, type SecretResolver } from '../../connectors/core/secret-ref.js';

export interface ConnectionRuntime {
  config: ConnectionConfig;
  source?: Source;
  destination?: Destination & { warning?: string };
  dispatcher?: Dispatcher;
  /** Why the connection could not be built (shown in status; the rest of the agent runs on). */
  error?: string;
}

/** For connections without any `{ secretRef }`: nothing to look up. */
const noSecrets = resolverOf(new Map());

function resolveHeaders(config: HttpDestinationConfig, secrets: SecretResolver): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) {
    headers[name] = typeof value === 'string' ? value : secrets(value.secretRef);
  }
  return headers;
}

function buildDestination(d: HttpDestinationConfig, secrets: SecretResolver): HttpDestination {
  const transport = createHttpTransport({
    url: d.url,
    timeouts: d.timeouts,
    concurrency: d.concurrency,
    tls: d.tls,
    proxy: d.proxy,
    secrets,
  });
  try {
    return new HttpDestination({
      url: d.url,
      method: d.method,
      headers: resolveHeaders(d, secrets),
      allowInsecureHttp: d.allowInsecureHttp,
      batch: d.batch,
      transport,
      credentials: createRequestAuth(d.auth, { transport, secrets }),
      describeError: describeTransportError,
    });
  } catch (error) {
    transport.close();
    throw error;
  }
}

function buildGate(d: HttpDestinationConfig): DeliveryGate {
  const { enabled, ...breaker } = d.circuitBreaker;
  return new DeliveryGate({
    ...(enabled ? { circuit: new CircuitBreaker(breaker) } : {}),
    ...(d.rateLimit ? { rateLimit: new TokenBucket(rateLimitPolicy(d.rateLimit)) } : {}),
    ...(d.sendingWindows
      ? { schedule: new SendingSchedule(d.sendingWindows.windows, d.sendingWindows.timeZone) }
      : {}),
  });
}

function buildSource(config: ConnectionConfig, secrets: SecretResolver): Source {
  const s = config.source;
  if (s.type === 'folder') return new FolderSource(s); // the folder source takes its parsed config as it is
  return createDatabaseSource(s, secrets);
}

export function buildConnection(
  config: ConnectionConfig,
  outbox: Outbox,
  logger: Logger,
  secrets: SecretResolver | Error | undefined,
  onChange: () => void,
): ConnectionRuntime {
  if (!config.enabled) return { config };
  try {
    if (secrets instanceof Error) throw secrets;
    const d = config.destination;
    const destination = buildDestination(d, secrets ?? noSecrets);
    const source = buildSource(config, secrets ?? noSecrets);
    const dispatcher = new Dispatcher(
      config.id,
      outbox,
      destination,
      {
        concurrency: d.concurrency,
        leaseMs: d.leaseMs,
        maxLeaseBytes: 16 * 1024 * 1024,
        retry: d.retry,
        idlePollMs: 5000,
        classification: d.classification,
        traceContext: d.traceContext,
        gate: buildGate(d),
        onDelivered: (records) => source.delivered?.(records),
      },
      logger,
      onChange,
    );
    if (destination.warning) logger.warn(destination.warning);
    return { config, source, destination, dispatcher };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: error }, 'connection could not be built');
    return { config, error: message };
  }
}
