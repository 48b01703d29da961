// Fetches the secrets a config references, failing once with every missing name and the command that sets it.
import { MissingSecretsError } from './errors.js';
import { assertSecretName } from './secret-name.js';
import type { SecretStore } from './secret-store.js';

export interface ResolveSecretsOptions {
  /** Added to the suggested `secrets set` command so it reaches the same store (the file backend lives in the config). */
  configFile?: string;
  dataDir?: string;
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The exact command that stores secret `name`. */
export function setSecretCommand(name: string, options: ResolveSecretsOptions = {}): string {
  const parts = ['integration-agent', 'secrets', 'set', name];
  if (options.configFile !== undefined) parts.push('--config', shellQuote(options.configFile));
  if (options.dataDir !== undefined) parts.push('--data-dir', shellQuote(options.dataDir));
  return parts.join(' ');
}

/** Values by name for every name in `names` (duplicates allowed); throws MissingSecretsError listing all that are absent. */
export async function resolveSecrets(
  names: readonly string[],
  store: SecretStore,
  options: ResolveSecretsOptions = {},
): Promise<Map<string, string>> {
  const unique = [...new Set(names)].sort();
  unique.forEach(assertSecretName);
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const name of unique) {
    const value = await store.get(name);
    if (value === undefined) missing.push(name);
    else values.set(name, value);
  }
  if (missing.length > 0) {
    throw new MissingSecretsError(missing, store.description, (name) => setSecretCommand(name, options));
  }
  return values;
}
