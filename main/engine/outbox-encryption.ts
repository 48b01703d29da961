// Outbox encryption at rest for a starting engine (data keys from the secret store for every connection) and for
// support commands (one connection's existing keys).
import type { AgentConfig } from '../config/schema.js';
import { DataKeys } from '../outbox/data-keys.js';
import type { Outbox } from '../outbox/outbox.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import type { SecretStore } from '../secrets/secret-store.js';

/**
 * With `outbox.encryption.enabled`, loads (or creates) the data key of every configured connection and of every
 * connection that still has records, and makes the outbox seal new payloads. Returns the keys (for connections
 * added later and for rotation), or undefined when encryption is off. A secret store that cannot be opened throws:
 * the agent does not fall back to storing payloads in clear.
 */
export async function enableOutboxEncryption(
  config: AgentConfig,
  outbox: Outbox,
  dataDir: string,
  store?: SecretStore,
): Promise<DataKeys | undefined> {
  if (config.outbox.encryption?.enabled !== true) return undefined;
  const keys = new DataKeys(store ?? (await openSecretStore(config.secrets, dataDir)));
  const ids = new Set([...config.connections.map((c) => c.id), ...outbox.counters.connections()]);
  for (const id of ids) await keys.ensure(id);
  outbox.useEncryption(keys);
  return keys;
}

/**
 * For a support command beside the agent (`dlq remap`): with `outbox.encryption.enabled`, the data keys of
 * `connection` the agent keeps in the secret store, never a new one; undefined when encryption is off. A store that
 * cannot be opened throws its SecretStoreError, a missing or unreadable key a PayloadKeyError naming the secret.
 */
export async function loadConnectionDataKeys(
  config: AgentConfig,
  dataDir: string,
  connection: string,
): Promise<DataKeys | undefined> {
  if (config.outbox.encryption?.enabled !== true) return undefined;
  const keys = new DataKeys(await openSecretStore(config.secrets, dataDir));
  await keys.load(connection);
  return keys;
}
