// The SecretStore contract: named secrets in the OS keychain or in an encrypted file, never in the config.

export type SecretBackend = 'keychain' | 'file';

export interface SecretStore {
  readonly backend: SecretBackend;
  /** Human description without secrets, e.g. "OS keychain (service integration-agent)" or "encrypted file /x/secrets.enc". */
  readonly description: string;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  /** True when the secret existed and was removed. */
  delete(name: string): Promise<boolean>;
  /** Names only, sorted. */
  list(): Promise<string[]>;
}
