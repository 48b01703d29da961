// Opens the secret store the config chooses: the OS keychain, or the encrypted file with its key. Never falls back.
import { resolve } from 'node:path';
import type { SecretsConfig } from '../config/secrets-config.js';
import { FileSecretStore } from './file-store.js';
import { KeychainSecretStore } from './keychain-store.js';
import { SecretStoreError } from './errors.js';
import { readSecretKey, type KeySource } from './secret-key.js';
import type { SecretStore } from './secret-store.js';

export const defaultSecretsFileName = 'secrets.enc.json';

/** Fails with a SecretStoreError (SecretStoreUnavailableError for the keychain) when the chosen store cannot be used. */
export async function openSecretStore(
  config: SecretsConfig,
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SecretStore> {
  if (config.backend === 'keychain') return KeychainSecretStore.open();
  const at = (path: string) => resolve(dataDir, path); // absolute paths stay as they are
  const source: KeySource | undefined =
    config.keyFile !== undefined
      ? { keyFile: at(config.keyFile) }
      : config.keyEnv !== undefined
        ? { keyEnv: config.keyEnv }
        : undefined;
  if (source === undefined) {
    throw new SecretStoreError(
      'the file backend has no key: neither keyFile nor keyEnv is set',
      'set secrets.keyFile or secrets.keyEnv in the config',
    );
  }
  const key = await readSecretKey(source, env);
  return FileSecretStore.open(at(config.file ?? defaultSecretsFileName), key);
}
