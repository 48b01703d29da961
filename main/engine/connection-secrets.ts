// Finds the secrets a connection's config references and fetches them from the secret store before it is built.
import type { Logger } from 'pino';
import type { AgentConfig, ConnectionConfig } from '../config/schema.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import { resolveSecrets, type ResolveSecretsOptions } from '../secrets/resolve-secrets.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { resolverOf, type SecretResolver } from '../../connectors/core/secret-ref.js';

/** Every `{ secretRef }` name in a config subtree. */
export function secretNamesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(secretNamesIn);
  if (value === null || typeof value !== 'object') return [];
  const ref = (value as { secretRef?: unknown }).secretRef;
  if (typeof ref === 'string') return [ref];
  return Object.values(value).flatMap(secretNamesIn);
}

/**
 * Secrets per connection: a resolver, or the reason the connection cannot start (store unavailable, secret missing).
 * The store is opened only when some connection needs it, so an agent without secrets never touches the keychain.
 */
export async function loadConnectionSecrets(
  config: AgentConfig,
  logger: Logger,
  where: ResolveSecretsOptions & { dataDir: string; store?: SecretStore },
): Promise<Map<string, SecretResolver | Error>> {
  const { store, ...hint } = where;
  const result = new Map<string, SecretResolver | Error>();
  const needs = new Map<ConnectionConfig, string[]>(
    config.connections.filter((c) => c.enabled).map((c) => [c, secretNamesIn(c)]),
  );
  if ([...needs.values()].every((names) => names.length === 0)) return result;
  let opened: SecretStore;
  try {
    opened = store ?? (await openSecretStore(config.secrets, where.dataDir));
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    logger.error({ err: failure }, 'the secret store could not be opened');
    for (const [connection, names] of needs) if (names.length > 0) result.set(connection.id, failure);
    return result;
  }
  for (const [connection, names] of needs) {
    if (names.length === 0) continue;
    try {
      result.set(connection.id, resolverOf(await resolveSecrets(names, opened, hint)));
    } catch (error) {
      result.set(connection.id, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return result;
}
