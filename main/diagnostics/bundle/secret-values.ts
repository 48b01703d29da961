// The values held by the secret store the config chooses: the redactor removes them wherever they appear.
import type { AgentConfig } from '../../config/schema.js';
import { openSecretStore } from '../../secrets/open-secret-store.js';

/** Every stored secret's value (not only those the config references: an old one may still sit in a log). */
export async function collectSecretValues(
  config: AgentConfig | undefined,
  dataDir: string,
): Promise<string[]> {
  const store = await openSecretStore(config?.secrets ?? { backend: 'keychain' }, dataDir);
  const values: string[] = [];
  for (const name of await store.list()) {
    const value = await store.get(name);
    if (value !== undefined && value !== '') values.push(value);
  }
  return values;
}
