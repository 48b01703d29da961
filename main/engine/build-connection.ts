// Builds a connection's source, destination and dispatcher from its config; a bad connection fails alone.
import type { Logger } from 'pino';
import type { Destination } from '../../connectors/core/destination.js';
import type { Source } from '../../connectors/core/source.js';
import { HttpDestination } from '../../connectors/destinations/http/destination.js';
import { FolderSource } from '../../connectors/sources/folder/source.js';
import type { HttpDestinationConfig } from '../../connectors/destinations/http/config.js';
import type { ConnectionConfig } from '../config/schema.js';
import { Dispatcher } from '../delivery/dispatcher.js';
import type { Outbox } from '../outbox/outbox.js';

export interface ConnectionRuntime {
  config: ConnectionConfig;
  source?: Source;
  destination?: Destination & { warning?: string };
  dispatcher?: Dispatcher;
  /** Why the connection could not be built (shown in status; the rest of the agent runs on). */
  error?: string;
}

/** Resolves `{ secretRef }` header values. Until a secret store is configured every reference is refused clearly. */
export type SecretResolver = (name: string) => string;

export const noSecretStore: SecretResolver = (name) => {
  throw new Error(
    `header references secret "${name}", but no secret store is available in this version of the agent. ` +
      `Fix: remove the header for now; secret store support (OS keychain / encrypted file) comes with the delivery release.`,
  );
};

function resolveHeaders(config: HttpDestinationConfig, secrets: SecretResolver): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) {
    headers[name] = typeof value === 'string' ? value : secrets(value.secretRef);
  }
  return headers;
}

function buildDestination(config: ConnectionConfig, secrets: SecretResolver): HttpDestination {
  const d = config.destination;
  return new HttpDestination({
    url: d.url,
    method: d.method,
    headers: resolveHeaders(d, secrets),
    allowInsecureHttp: d.allowInsecureHttp,
    timeouts: d.timeouts,
    concurrency: d.concurrency,
  });
}

function buildSource(config: ConnectionConfig): Source {
  const s = config.source;
  return new FolderSource({
    path: s.path,
    include: s.include,
    exclude: s.exclude,
    recursive: s.recursive,
    quietPeriodMs: s.quietPeriodMs,
    maxFileBytes: s.maxFileBytes,
    ...(s.contentType ? { contentType: s.contentType } : {}),
  });
}

export function buildConnection(
  config: ConnectionConfig,
  outbox: Outbox,
  logger: Logger,
  secrets: SecretResolver,
  onChange: () => void,
): ConnectionRuntime {
  if (!config.enabled) return { config };
  try {
    const destination = buildDestination(config, secrets);
    const source = buildSource(config);
    const d = config.destination;
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
