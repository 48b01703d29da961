// The encrypted file backend: round trip, wrong key, tampering, damaged files, permissions, key sources.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretStoreError } from '../../../main/secrets/errors.js';
import { openSecretStore } from '../../../main/secrets/open-secret-store.js';
import type { SecretStore } from '../../../main/secrets/secret-store.js';
import type { StoreFile } from '../../../main/secrets/store-file-format.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir({ prefix: 'secrets-file-' });

function writeKey(name = 'secrets.key', key = randomBytes(32).toString('base64'), mode = 0o600): string {
  const file = join(dir(), name);
  writeFileSync(file, `${key}\n`, { mode });
  chmodSync(file, mode);
  return file;
}

const open = (keyFile: string, file?: string): Promise<SecretStore> =>
  openSecretStore({ backend: 'file', keyFile, ...(file ? { file } : {}) }, dir());

async function errorOf(work: () => Promise<unknown>): Promise<SecretStoreError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof SecretStoreError) return error;
    throw error;
  }
  throw new Error('expected a SecretStoreError, but nothing was thrown');
}

const storeFile = () => join(dir(), 'secrets.enc.json');
const readStore = () => JSON.parse(readFileSync(storeFile(), 'utf8')) as StoreFile;
const writeStore = (content: unknown) => writeFileSync(storeFile(), JSON.stringify(content), { mode: 0o600 });

describe('file secret store', () => {
  it('round-trips values, lists sorted names, deletes, and persists across opens', async () => {
    const keyFile = writeKey();
    const store = await open(keyFile);
    expect(store.backend).toBe('file');
    expect(store.description).toBe(`encrypted file ${storeFile()}`);
    expect(existsSync(storeFile())).toBe(false); // nothing is written until the first set
    expect(await store.list()).toEqual([]);

    await store.set('zeta', 'multi\nline ✓ value');
    await store.set('Alpha.1', 'a');
    await store.set('beta_2', 'b');
    await store.set('beta_2', 'b2');
    expect(await store.get('zeta')).toBe('multi\nline ✓ value');
    expect(await store.get('beta_2')).toBe('b2');
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.list()).toEqual(['Alpha.1', 'beta_2', 'zeta']);
    expect(await store.delete('Alpha.1')).toBe(true);
    expect(await store.delete('Alpha.1')).toBe(false);

    const reopened = await open(keyFile);
    expect(await reopened.list()).toEqual(['beta_2', 'zeta']);
    expect(await reopened.get('zeta')).toBe('multi\nline ✓ value');
  });

  it('writes a versioned file with mode 0600 that holds neither values nor the key', async () => {
    const keyFile = writeKey();
    const store = await open(keyFile);
    await store.set('erp-token', 'plain-value-123');
    expect(statSync(storeFile()).mode & 0o777).toBe(0o600);
    const text = readFileSync(storeFile(), 'utf8');
    expect(text).not.toContain('plain-value-123');
    expect(text).not.toContain(readFileSync(keyFile, 'utf8').trim());
    const content = readStore();
    expect(content).toMatchObject({
      format: 'integration-agent-secrets',
      version: 1,
      kdf: { name: 'scrypt' },
    });
    const entry = content.secrets['erp-token']!;
    expect(Buffer.from(entry.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(entry.tag, 'base64')).toHaveLength(16);
    expect(readdirSync(dir()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('uses a fresh IV for every write and a random salt for every file', async () => {
    const store = await open(writeKey());
    await store.set('a', 'same');
    const first = readStore();
    await store.set('a', 'same');
    const second = readStore();
    expect(second.secrets['a']!.iv).not.toBe(first.secrets['a']!.iv);
    expect(second.kdf.salt).toBe(first.kdf.salt);

    const other = await open(writeKey('other.key'), join(dir(), 'other.enc.json'));
    await other.set('a', 'same');
    const otherFile = JSON.parse(readFileSync(join(dir(), 'other.enc.json'), 'utf8')) as StoreFile;
    expect(otherFile.kdf.salt).not.toBe(first.kdf.salt);
  });

  it('resolves relative file and keyFile paths against the data directory and creates missing folders', async () => {
    writeKey('relative.key');
    const store = await openSecretStore(
      { backend: 'file', keyFile: 'relative.key', file: 'nested/dir/store.json' },
      dir(),
    );
    await store.set('x', 'y');
    const file = join(dir(), 'nested', 'dir', 'store.json');
    expect(store.description).toBe(`encrypted file ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir(), 'nested')).mode & 0o777).toBe(0o700);
  });

  it('reads the key from an environment variable', async () => {
    const env = { AGENT_SECRETS_KEY: 'a passphrase that is long enough' };
    const store = await openSecretStore({ backend: 'file', keyEnv: 'AGENT_SECRETS_KEY' }, dir(), env);
    await store.set('x', 'from env');
    const again = await openSecretStore({ backend: 'file', keyEnv: 'AGENT_SECRETS_KEY' }, dir(), env);
    expect(await again.get('x')).toBe('from env');

    const missing = await errorOf(() =>
      openSecretStore({ backend: 'file', keyEnv: 'AGENT_SECRETS_KEY' }, dir(), {}),
    );
    expect(missing.message).toMatch(
      /^the environment variable AGENT_SECRETS_KEY is not set; .*Fix: set AGENT_SECRETS_KEY/,
    );
  });

  it('validates names and refuses empty values', async () => {
    const store = await open(writeKey());
    for (const name of ['', 'has space', '-leading', 'a/b', 'x'.repeat(129)]) {
      expect((await errorOf(() => store.set(name, 'v'))).problem).toContain('is not a valid secret name');
    }
    expect((await errorOf(() => store.get('bad name'))).problem).toContain(
      '"bad name" is not a valid secret name',
    );
    expect((await errorOf(() => store.set('ok', ''))).message).toContain(
      'the value for secret "ok" is empty',
    );
  });
});

describe('file secret store: wrong key, tampering and damage', () => {
  it('a wrong key says the key does not match, and nothing is overwritten', async () => {
    await (await open(writeKey())).set('a', 'v');
    const before = readFileSync(storeFile());
    const wrong = writeKey('wrong.key');
    const error = await errorOf(() => open(wrong));
    expect(error.message).toBe(
      `cannot decrypt ${storeFile()}: the key does not match the one it was written with (key file ${wrong}). ` +
        'Fix: configure the key the store was created with; if that key is lost, move the file aside and set every secret again',
    );
    expect(error.message).not.toMatch(/\bat .*\.ts:\d+/);
    expect(readFileSync(storeFile())).toEqual(before);
  });

  it('a store opened with another key before the file existed refuses to write into it', async () => {
    const late = await open(writeKey('late.key'));
    await (await open(writeKey())).set('a', 'v');
    const before = readFileSync(storeFile());
    expect((await errorOf(() => late.set('b', 'w'))).problem).toContain('the key does not match');
    expect(readFileSync(storeFile())).toEqual(before);
  });

  it('an altered ciphertext fails its GCM tag with a clear message; other secrets still read; set repairs it', async () => {
    const store = await open(writeKey());
    await store.set('good', 'fine');
    await store.set('victim', 'original value');
    const content = readStore();
    const data = Buffer.from(content.secrets['victim']!.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 0x01;
    content.secrets['victim']!.data = data.toString('base64');
    writeStore(content);

    const error = await errorOf(() => store.get('victim'));
    expect(error.message).toBe(
      `cannot decrypt secret "victim" in ${storeFile()}: the entry was altered or damaged (its authentication tag does not match). ` +
        'Fix: set it again with `integration-agent secrets set victim`, or restore the file from a backup',
    );
    expect(await store.get('good')).toBe('fine');
    await store.set('victim', 'new value');
    expect(await store.get('victim')).toBe('new value');
  });

  it('an entry copied under another name does not decrypt (each entry is bound to its name)', async () => {
    const store = await open(writeKey());
    await store.set('low', 'harmless');
    await store.set('high', 'important');
    const content = readStore();
    content.secrets['high'] = content.secrets['low']!;
    writeStore(content);
    expect((await errorOf(() => store.get('high'))).problem).toContain('the entry was altered or damaged');
  });

  it('an altered tag or IV is caught the same way', async () => {
    const store = await open(writeKey());
    await store.set('a', 'v');
    const content = readStore();
    content.secrets['a']!.tag = Buffer.alloc(16).toString('base64');
    writeStore(content);
    expect((await errorOf(() => store.get('a'))).problem).toContain('altered or damaged');
    content.secrets['a']!.iv = Buffer.alloc(8).toString('base64');
    writeStore(content);
    expect((await errorOf(() => store.get('a'))).problem).toContain('altered or damaged');
  });

  it.each([
    [
      'truncated',
      (text: string) => text.slice(0, Math.floor(text.length / 2)),
      'is not valid JSON (damaged or truncated)',
    ],
    ['empty', () => '', 'is empty'],
    ['foreign JSON', () => '{"hello":"world"}', 'is not a valid secret store (unexpected content at format)'],
    [
      'missing its key check',
      (text: string) => JSON.stringify({ ...JSON.parse(text), check: undefined }),
      'is not a valid secret store (unexpected content at check)',
    ],
    [
      'absurd scrypt cost',
      (text: string) => {
        const content = JSON.parse(text);
        return JSON.stringify({ ...content, kdf: { ...content.kdf, N: 2 ** 30 } });
      },
      'is not a valid secret store (unexpected content at kdf.N)',
    ],
  ])('a %s file is refused clearly and never overwritten', async (_, damage, problem) => {
    const keyFile = writeKey();
    await (await open(keyFile)).set('a', 'v');
    writeFileSync(storeFile(), damage(readFileSync(storeFile(), 'utf8')));
    const damaged = readFileSync(storeFile());
    const error = await errorOf(() => open(keyFile));
    expect(error.message).toBe(
      `the secret store file ${storeFile()} ${problem}. Fix: restore the file from a backup; or, if no backup exists, ` +
        'move it aside and set every secret again (the agent never overwrites a damaged store)',
    );
    expect((await errorOf(() => openSecretStore({ backend: 'file', keyFile }, dir()))).problem).toBe(
      error.problem,
    );
    expect(readFileSync(storeFile())).toEqual(damaged);
  });

  it('a store that went bad after opening is not overwritten by set or delete', async () => {
    const store = await open(writeKey());
    await store.set('a', 'v');
    writeFileSync(storeFile(), '{"format": "integration-agent-secrets", "vers');
    await expect(store.set('b', 'w')).rejects.toThrow('is not valid JSON');
    await expect(store.delete('a')).rejects.toThrow('is not valid JSON');
    expect(readFileSync(storeFile(), 'utf8')).toBe('{"format": "integration-agent-secrets", "vers');
  });

  it('a file from a newer agent is refused with its version', async () => {
    const keyFile = writeKey();
    await (await open(keyFile)).set('a', 'v');
    writeStore({ ...readStore(), version: 2 });
    expect((await errorOf(() => open(keyFile))).message).toBe(
      `the secret store file ${storeFile()} has format version 2, written by a newer agent (this one reads version 1). ` +
        'Fix: upgrade the agent; the file is left untouched',
    );
  });
});

describe('file secret store: permissions and keys', () => {
  it.each([0o640, 0o604, 0o660, 0o610])('refuses a key file with mode %s, saying chmod 600', async (mode) => {
    const keyFile = writeKey('loose.key', undefined, mode);
    const error = await errorOf(() => open(keyFile));
    expect(error.message).toBe(
      `the key file ${keyFile} is accessible by other users (mode 0${mode.toString(8)}); it is refused, as ssh refuses such keys. ` +
        `Fix: run: chmod 600 ${keyFile}`,
    );
  });

  it('accepts a key file with mode 0400', async () => {
    const store = await open(writeKey('ro.key', undefined, 0o400));
    await store.set('a', 'v');
    expect(await store.get('a')).toBe('v');
  });

  it('refuses to read a store file that group or others can read, even as root', async () => {
    const keyFile = writeKey();
    await (await open(keyFile)).set('a', 'v');
    chmodSync(storeFile(), 0o644);
    const error = await errorOf(() => open(keyFile));
    expect(error.problem).toBe(
      `the secret store file ${storeFile()} is accessible by other users (mode 0644); it is refused, as ssh refuses such keys`,
    );
    expect(error.fix).toBe(`run: chmod 600 ${storeFile()}`);
    chmodSync(storeFile(), 0o600);
    expect(await (await open(keyFile)).get('a')).toBe('v');
  });

  it('names a missing key file and how to create it', async () => {
    const keyFile = join(dir(), 'absent.key');
    expect((await errorOf(() => open(keyFile))).message).toBe(
      `the key file ${keyFile} does not exist. Fix: create it: (umask 077 && openssl rand -base64 32 > ${keyFile})`,
    );
  });

  it('refuses a key shorter than 16 bytes (line breaks do not count)', async () => {
    const keyFile = writeKey('short.key', 'fifteen-chars!!');
    const error = await errorOf(() => open(keyFile));
    expect(error.problem).toBe(
      `the key in the key file ${keyFile} is too short (15 bytes; at least 16 are needed)`,
    );
    expect(error.fix).toContain(`openssl rand -base64 32 > ${keyFile}`);
    const exact = await open(writeKey('exact.key', 'sixteen-chars!!!'));
    await exact.set('a', 'v');
    expect(await exact.get('a')).toBe('v');
  });

  it('refuses a folder given as the key file', async () => {
    expect((await errorOf(() => open(dir()))).problem).toBe(`the key file ${dir()} is not a regular file`);
  });
});
