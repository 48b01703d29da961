// Opens the secret store the config chooses: the OS keychain, or the encrypted file with its key. Never falls back.
import { isAbsolute, join, resolve } from 'node:path';
import type { SecretsConfig } from './config.js';
import { FileSecretStore } from './file-store.js';
import { KeychainSecretStore } from './keychain-store.js';
import { readSecretKey } from './secret-key.js';
import type { SecretStore } from './secret-store.js';

export const defaultSecretsFileName = 'secrets.enc.json';

/** Fails with a SecretStoreError (SecretStoreUnavailableError for the keychain) when the chosen store cannot be used. */
export async function openSecretStore(
  config: SecretsConfig,
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SecretStore> {
  if (config.backend === 'keychain') return KeychainSecretStore.open();
  const at = (path: string) => (isAbsolute(path) ? path : resolve(dataDir, path));
  const source =
    config.keyFile !== undefined ? { keyFile: at(config.keyFile) } : { keyEnv: config.keyEnv ?? '' };
  const key = await readSecretKey(source, env);
  return FileSecretStore.open(at(config.file ?? join(dataDir, defaultSecretsFileName)), key);
}
