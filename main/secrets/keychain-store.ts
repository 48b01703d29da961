// SecretStore in the OS keychain through keytar (loaded lazily), one entry per secret under service "integration-agent".
import { errorMessage } from '../shared/error-message.js';
import { SecretStoreUnavailableError } from './errors.js';
import { assertSecretName, assertSecretValue } from './secret-name.js';
import type { SecretStore } from './secret-store.js';

export const keychainService = 'integration-agent';

/** The part of keytar this store uses. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export interface KeychainStoreOptions {
  /** Loads the native module; the default imports keytar on first use so the agent starts where it cannot load. */
  loadKeytar?: () => Promise<KeytarApi>;
  /** How long one keychain call may take (a locked keyring can wait for a prompt nobody answers). */
  timeoutMs?: number;
}

const defaultTimeoutMs = 10_000;

async function importKeytar(): Promise<KeytarApi> {
  return (await import('keytar')).default;
}

export class KeychainSecretStore implements SecretStore {
  readonly backend = 'keychain';
  readonly description = `OS keychain (service ${keychainService})`;
  private keytar: Promise<KeytarApi> | undefined;

  private constructor(private readonly options: KeychainStoreOptions) {}

  /** Loads keytar and makes one read, so a missing D-Bus session or native module is reported here, at open. */
  static async open(options: KeychainStoreOptions = {}): Promise<KeychainSecretStore> {
    const store = new KeychainSecretStore(options);
    await store.call('read from', (k) => k.getPassword(keychainService, '.probe'));
    return store;
  }

  async get(name: string): Promise<string | undefined> {
    assertSecretName(name);
    return (await this.call('read from', (k) => k.getPassword(keychainService, name))) ?? undefined;
  }

  async set(name: string, value: string): Promise<void> {
    assertSecretName(name);
    assertSecretValue(name, value);
    await this.call('write to', (k) => k.setPassword(keychainService, name, value));
  }

  async delete(name: string): Promise<boolean> {
    assertSecretName(name);
    return this.call('delete from', (k) => k.deletePassword(keychainService, name));
  }

  async list(): Promise<string[]> {
    const credentials = await this.call('list', (k) => k.findCredentials(keychainService));
    return credentials.map((c) => c.account).sort();
  }

  private load(): Promise<KeytarApi> {
    this.keytar ??= (this.options.loadKeytar ?? importKeytar)().catch((error: unknown) => {
      this.keytar = undefined;
      throw new SecretStoreUnavailableError(
        `the keychain module (keytar) could not be loaded: ${errorMessage(error)}`,
      );
    });
    return this.keytar;
  }

  /** Runs one keychain operation with a timeout; any failure becomes a SecretStoreUnavailableError naming its cause. */
  private async call<T>(verb: string, work: (keytar: KeytarApi) => Promise<T>): Promise<T> {
    const keytar = await this.load();
    const timeoutMs = this.options.timeoutMs ?? defaultTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SecretStoreUnavailableError(
              `the keychain did not answer within ${timeoutMs / 1000} s (it may be locked and waiting for a password prompt)`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([work(keytar), timeout]);
    } catch (error) {
      if (error instanceof SecretStoreUnavailableError) throw error;
      throw new SecretStoreUnavailableError(`could not ${verb} it: ${errorMessage(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
