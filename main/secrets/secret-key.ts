// Reads the key the admin provides for the encrypted file backend, from a private key file or an environment variable.
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../shared/error-message.js';
import { SecretStoreError } from './errors.js';
import { assertPrivateFile } from './private-file.js';

export type KeySource = { keyFile: string } | { keyEnv: string };

export interface SecretKey {
  /** The key or passphrase as given, without trailing line breaks. */
  material: Buffer;
  /** Where it came from, for messages: "key file /etc/…" or "environment variable NAME". */
  origin: string;
}

export const minKeyLength = 16;

function generateHint(file: string): string {
  return `(umask 077 && openssl rand -base64 32 > ${file})`;
}

export async function readSecretKey(
  source: KeySource,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SecretKey> {
  const key = 'keyFile' in source ? await fromFile(source.keyFile) : fromEnv(source.keyEnv, env);
  if (key.material.length < minKeyLength) {
    const where =
      'keyFile' in source
        ? `write a longer one: ${generateHint(source.keyFile)}`
        : 'set it to a longer value, e.g. the output of `openssl rand -base64 32`';
    throw new SecretStoreError(
      `the key in the ${key.origin} is too short (${key.material.length} bytes; at least ${minKeyLength} are needed)`,
      `${where}; a new key cannot read secrets stored with the old one, so set them again afterwards`,
    );
  }
  return key;
}

async function fromFile(file: string): Promise<SecretKey> {
  const origin = `key file ${file}`;
  try {
    await assertPrivateFile(file, 'key file');
    return { material: stripLineBreaks(await readFile(file)), origin };
  } catch (error) {
    if (error instanceof SecretStoreError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new SecretStoreError(`the ${origin} does not exist`, `create it: ${generateHint(file)}`);
    }
    const detail = code ?? errorMessage(error);
    throw new SecretStoreError(
      `the ${origin} cannot be read (${detail})`,
      'make it readable by the account that runs the agent (and only by it)',
    );
  }
}

function fromEnv(name: string, env: NodeJS.ProcessEnv): SecretKey {
  const value = env[name];
  const origin = `environment variable ${name}`;
  if (value === undefined || value === '') {
    throw new SecretStoreError(
      `the ${origin} is not set; it should hold the key of the encrypted secret store`,
      `set ${name} in the environment of the agent (for a systemd service: an EnvironmentFile= readable only by root)`,
    );
  }
  return { material: stripLineBreaks(Buffer.from(value, 'utf8')), origin };
}

function stripLineBreaks(bytes: Buffer): Buffer {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  return bytes.subarray(0, end);
}
