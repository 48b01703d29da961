// SecretStore in one encrypted file (AES-256-GCM per entry, scrypt key): the explicit choice for headless servers.
import { readFile } from 'node:fs/promises';
import { SecretStoreError } from './errors.js';
import { assertPrivateFile, writePrivateFileAtomically } from './private-file.js';
import { deriveKey, newScryptParams, seal, unseal, type ScryptParams } from './secret-cipher.js';
import type { SecretKey } from './secret-key.js';
import { assertSecretName, assertSecretValue } from './secret-name.js';
import type { SecretStore } from './secret-store.js';
import {
  entryLabel,
  keyCheckLabel,
  keyCheckText,
  parseStoreFile,
  serializeStoreFile,
  storeFormat,
  storeFormatVersion,
  type StoreFile,
} from './store-file-format.js';

/** Every operation re-reads the file, so changes made by `secrets set` in another process are seen at once. */
export class FileSecretStore implements SecretStore {
  readonly backend = 'file';
  readonly description: string;
  private derived: { params: string; key: Promise<Buffer> } | undefined;

  private constructor(
    readonly file: string,
    private readonly key: SecretKey,
  ) {
    this.description = `encrypted file ${file}`;
  }

  /** Checks the file's permissions and that the key opens it; a missing file is fine (created on the first set). */
  static async open(file: string, key: SecretKey): Promise<FileSecretStore> {
    const store = new FileSecretStore(file, key);
    await store.read();
    return store;
  }

  async get(name: string): Promise<string | undefined> {
    assertSecretName(name);
    const loaded = await this.read();
    const sealed = loaded?.content.secrets[name];
    if (loaded === undefined || sealed === undefined) return undefined;
    const value = unseal(loaded.key, entryLabel(name), sealed);
    if (value === undefined) {
      throw new SecretStoreError(
        `cannot decrypt secret "${name}" in ${this.file}: the entry was altered or damaged (its authentication tag does not match)`,
        `set it again with \`integration-agent secrets set ${name}\`, or restore the file from a backup`,
      );
    }
    return value;
  }

  async set(name: string, value: string): Promise<void> {
    assertSecretName(name);
    assertSecretValue(name, value);
    const { content, key } = (await this.read()) ?? (await this.create());
    await this.write({
      ...content,
      secrets: { ...content.secrets, [name]: seal(key, entryLabel(name), value) },
    });
  }

  async delete(name: string): Promise<boolean> {
    assertSecretName(name);
    const loaded = await this.read();
    if (loaded === undefined || !(name in loaded.content.secrets)) return false;
    const secrets = Object.fromEntries(Object.entries(loaded.content.secrets).filter(([n]) => n !== name));
    await this.write({ ...loaded.content, secrets });
    return true;
  }

  async list(): Promise<string[]> {
    const loaded = await this.read();
    return Object.keys(loaded?.content.secrets ?? {}).sort();
  }

  /** The file's content and the key that opens it; undefined when the file does not exist yet. */
  private async read(): Promise<{ content: StoreFile; key: Buffer } | undefined> {
    let text: string;
    try {
      await assertPrivateFile(this.file, 'secret store file');
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (error instanceof SecretStoreError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new SecretStoreError(
        `the secret store file ${this.file} cannot be read (${code ?? String(error)})`,
        'make it readable by the account that runs the agent (and only by it)',
      );
    }
    const content = parseStoreFile(text, this.file);
    const key = await this.keyFor(content.kdf);
    if (unseal(key, keyCheckLabel, content.check) !== keyCheckText) {
      throw new SecretStoreError(
        `cannot decrypt ${this.file}: the key does not match the one it was written with (${this.key.origin})`,
        'configure the key the store was created with; if that key is lost, move the file aside and set every secret again',
      );
    }
    return { content, key };
  }

  private async create(): Promise<{ content: StoreFile; key: Buffer }> {
    const params = newScryptParams();
    const key = await this.keyFor(params);
    const content: StoreFile = {
      format: storeFormat,
      version: storeFormatVersion,
      kdf: { name: 'scrypt', ...params },
      check: seal(key, keyCheckLabel, keyCheckText),
      secrets: {},
    };
    return { content, key };
  }

  /** Derives the key once per salt and parameters (scrypt is deliberately slow). */
  private keyFor(params: ScryptParams): Promise<Buffer> {
    const id = `${params.salt}:${params.N}:${params.r}:${params.p}`;
    if (this.derived?.params !== id) {
      const { salt, N, r, p } = params;
      this.derived = { params: id, key: deriveKey(this.key.material, { salt, N, r, p }) };
    }
    return this.derived.key;
  }

  private async write(content: StoreFile): Promise<void> {
    try {
      await writePrivateFileAtomically(this.file, serializeStoreFile(content));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new SecretStoreError(
        `the secret store file ${this.file} could not be written (${code}); it was left as it was`,
        'check that its folder exists and is writable by the account that runs the agent, and that the disk has space',
      );
    }
  }
}
