// Per-connection data keys of the outbox encryption, kept in the secret store (keychain or encrypted file), held in memory.
import { randomBytes } from 'node:crypto';
import {
  openPayload,
  PayloadKeyError,
  sealedKeyId,
  sealPayload,
  type ConnectionKeys,
} from './payload-codec.js';

/** Where the keys are kept: the agent's SecretStore (main/secrets) fits; the outbox tier only needs these calls. */
export interface KeyStore {
  readonly description: string;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

/** The secret holding a connection's data keys: `outbox-key.<connection id>`. */
export const dataKeySecretName = (connection: string) => `outbox-key.${connection}`;

interface StoredKeys {
  current: string;
  keys: Record<string, string>;
}

/** What the outbox calls at its boundaries: seal before a payload is stored, open after it is read. */
export interface PayloadCodec {
  seal(connection: string, plain: Buffer): Buffer;
  open(connection: string, stored: Buffer): Buffer;
}

function parse(name: string, text: string): ConnectionKeys {
  const stored = JSON.parse(text) as StoredKeys;
  const keys = new Map(Object.entries(stored.keys).map(([id, value]) => [id, Buffer.from(value, 'base64')]));
  if (!keys.has(stored.current) || [...keys.values()].some((k) => k.length !== 32)) {
    throw new Error(`the secret ${name} is not a set of outbox data keys`);
  }
  return { current: stored.current, keys };
}

const serialize = (keys: ConnectionKeys) =>
  JSON.stringify({
    current: keys.current,
    keys: Object.fromEntries([...keys.keys].map(([id, key]) => [id, key.toString('base64')])),
  } satisfies StoredKeys);

const newKeyId = () => `k${randomBytes(4).toString('hex')}`;

export class DataKeys implements PayloadCodec {
  private readonly loaded = new Map<string, ConnectionKeys>();

  constructor(private readonly store: KeyStore) {}

  /** Loads the connection's keys from the store, creating its first key when it has none. */
  async ensure(connection: string): Promise<void> {
    const name = dataKeySecretName(connection);
    const text = await this.store.get(name);
    if (text !== undefined) {
      this.loaded.set(connection, parse(name, text));
      return;
    }
    const id = newKeyId();
    const keys = { current: id, keys: new Map([[id, randomBytes(32)]]) };
    await this.store.set(name, serialize(keys));
    this.loaded.set(connection, keys);
  }

  /**
   * Loads the connection's existing keys, never creating one (support commands beside the agent): a missing or
   * unreadable secret throws a PayloadKeyError naming the secret and the fix.
   */
  async load(connection: string): Promise<void> {
    const name = dataKeySecretName(connection);
    const text = await this.store.get(name);
    const restore =
      `Fix: restore it from its backup (\`integration-agent secrets set ${name} < backup\`); if this connection ` +
      'never ran with outbox.encryption on, start the agent once with it on, so it creates the key';
    if (text === undefined)
      throw new PayloadKeyError(
        connection,
        undefined,
        `the outbox data key of connection ${connection} (secret ${name}) is not in the ${this.store.description}. ${restore}`,
      );
    try {
      this.loaded.set(connection, parse(name, text));
    } catch {
      throw new PayloadKeyError(
        connection,
        undefined,
        `the secret ${name} in the ${this.store.description} is not a set of outbox data keys of connection ${connection}. ${restore}`,
      );
    }
  }

  /** Adds a new current key (old ones stay readable until `retire`); returns its id. */
  async rotate(connection: string): Promise<string> {
    const keys = this.keysOf(connection);
    const id = newKeyId();
    const next = { current: id, keys: new Map([...keys.keys, [id, randomBytes(32)]]) };
    await this.store.set(dataKeySecretName(connection), serialize(next));
    this.loaded.set(connection, next);
    return id;
  }

  /** Drops every key but the current one: call once no record is sealed with them any more. */
  async retireOldKeys(connection: string): Promise<void> {
    const keys = this.keysOf(connection);
    const next = { current: keys.current, keys: new Map([[keys.current, keys.keys.get(keys.current)!]]) };
    await this.store.set(dataKeySecretName(connection), serialize(next));
    this.loaded.set(connection, next);
  }

  currentKeyId(connection: string): string {
    return this.keysOf(connection).current;
  }

  /** True when `stored` is plain or sealed with an older key: the re-encryption pass rewrites it. */
  isStale(connection: string, stored: Buffer): boolean {
    return sealedKeyId(stored) !== this.keysOf(connection).current;
  }

  seal(connection: string, plain: Buffer): Buffer {
    return sealPayload(connection, this.keysOf(connection), plain);
  }

  open(connection: string, stored: Buffer): Buffer {
    try {
      return openPayload(connection, this.loaded.get(connection), stored);
    } catch (error) {
      if (!(error instanceof PayloadKeyError)) throw error;
      const name = dataKeySecretName(connection);
      throw new PayloadKeyError(
        connection,
        error.keyId,
        `${error.message}. The records stay in the outbox, unsent. Fix: restore the secret ${name} in the ` +
          `${this.store.description} from its backup (e.g. \`integration-agent secrets set ${name} < backup\`) ` +
          'and restart the agent; without that key these records cannot be read again',
      );
    }
  }

  private keysOf(connection: string): ConnectionKeys {
    const keys = this.loaded.get(connection);
    if (!keys) {
      throw new PayloadKeyError(
        connection,
        undefined,
        `the outbox data key of ${connection} is not loaded (outbox.encryption is on). Fix: restart the agent; if it persists, check the secret store`,
      );
    }
    return keys;
  }
}
