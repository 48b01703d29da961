// The secret store as the API uses it: opened on first use, resolvers for a config's secretRefs, values only for redaction.
import { secretNamesIn } from '../engine/connection-secrets.js';
import { type SecretResolver } from '../../connectors/core/secret-ref.js';
import type { Engine } from '../engine/engine.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import type { SecretStore } from '../secrets/secret-store.js';

export class SecretAccess {
  private opened: Promise<SecretStore> | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly given?: SecretStore,
  ) {}

  /** The store the running config chooses (or the one given); a failed open is retried on the next call. */
  store(): Promise<SecretStore> {
    if (this.given) return Promise.resolve(this.given);
    this.opened ??= openSecretStore(this.engine.currentConfig().secrets, this.engine.dataDir);
    this.opened.catch(() => (this.opened = undefined));
    return this.opened;
  }

  /** A resolver over the secrets `config` references; a missing one throws a message naming how to store it. */
  async resolverFor(config: unknown): Promise<SecretResolver> {
    const values = await this.values(secretNamesIn(config));
    return (name) => {
      const value = values.get(name);
      if (value === undefined)
        throw new Error(
          `secret "${name}" is not stored. Fix: store it under Settings → Secrets, or run: integration-agent secrets set ${name}`,
        );
      return value;
    };
  }

  /** Values of the secrets the running config references: what a diagnostic bundle must redact. */
  async referencedValues(): Promise<string[]> {
    const names = secretNamesIn(this.engine.currentConfig().connections);
    if (names.length === 0) return [];
    return [...(await this.values(names)).values()];
  }

  private async values(names: string[]): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    if (names.length === 0) return values;
    const store = await this.store();
    for (const name of new Set(names)) {
      const value = await store.get(name);
      if (value !== undefined) values.set(name, value);
    }
    return values;
  }
}
