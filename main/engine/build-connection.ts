// Builds a connection's source, destination and dispatcher from its config; a bad connection fails alone.
import type { Logger } from 'pino';
import type { DeliveryPolicyConfig } from '../../connectors/core/delivery-policy-config.js';
import { rateLimitPolicy } from '../../connectors/core/delivery-policy-config.js';
import type { Destination } from '../../connectors/core/destination.js';
import { resolverOf, type SecretResolver } from '../../connectors/core/secret-ref.js';
import type { Source } from '../../connectors/core/source.js';
import { destinationConnectorFor, sourceConnectorFor } from '../../connectors/registry.js';
import type { ConnectionConfig } from '../config/schema.js';
import { CircuitBreaker } from '../delivery/circuit-breaker.js';
import { DeliveryGate } from '../delivery/delivery-gate.js';
import { Dispatcher } from '../delivery/dispatcher.js';
import { SendingSchedule } from '../delivery/sending-window.js';
import { TokenBucket } from '../delivery/token-bucket.js';
import type { Outbox } from '../outbox/outbox.js';

export interface ConnectionRuntime {
  config: ConnectionConfig;
  source?: Source;
  destination?: Destination;
  dispatcher?: Dispatcher;
  /** Why the connection could not be built (shown in status; the rest of the agent runs on). */
  error?: string;
}

/** For connections without any `{ secretRef }`: nothing to look up. */
const noSecrets = resolverOf(new Map());

function buildGate(d: DeliveryPolicyConfig): DeliveryGate {
  const { enabled, ...breaker } = d.circuitBreaker;
  return new DeliveryGate({
    ...(enabled ? { circuit: new CircuitBreaker(breaker) } : {}),
    ...(d.rateLimit ? { rateLimit: new TokenBucket(rateLimitPolicy(d.rateLimit)) } : {}),
    ...(d.sendingWindows
      ? { schedule: new SendingSchedule(d.sendingWindows.windows, d.sendingWindows.timeZone) }
      : {}),
  });
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
    const context = { secrets: secrets ?? noSecrets, logger };
    const destinationConnector = destinationConnectorFor(d);
    const destination = destinationConnector.create(d, context);
    let source: Source;
    try {
      source = sourceConnectorFor(config.source).create(config.source, context);
    } catch (error) {
      void destination.close();
      throw error;
    }
    const { maxConcurrency } = destinationConnector.capabilities;
    const dispatcher = new Dispatcher(
      config.id,
      outbox,
      destination,
      {
        concurrency: destination.sendConcurrency ?? Math.min(d.concurrency, maxConcurrency ?? d.concurrency),
        leaseMs: d.leaseMs,
        maxLeaseBytes: 16 * 1024 * 1024,
        retry: d.retry,
        idlePollMs: 5000,
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
