// The admin passphrase of the UI: a scrypt hash in a 0600 file in the data dir; the passphrase itself is never stored.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writePrivateFileAtomically } from '../secrets/private-file.js';

export const adminPassphraseFileName = 'admin-passphrase.json';
export const minPassphraseLength = 12;

/** N = 2^15, r = 8: about 32 MiB and tens of milliseconds per check, which slows guessing without slowing a login. */
const params = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const keyLength = 32;

interface PassphraseFile {
  version: 1;
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
  setAt: number;
}

export const adminPassphraseFile = (dataDir: string) => join(dataDir, adminPassphraseFileName);

function derive(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, keyLength, { ...p, maxmem: params.maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Why a passphrase is refused, or undefined when it is acceptable. */
export function passphraseProblem(passphrase: string): string | undefined {
  if ([...passphrase].length < minPassphraseLength)
    return `the passphrase is shorter than ${minPassphraseLength} characters; use a longer one (a few words work well)`;
  if (passphrase.length > 1024) return 'the passphrase is longer than 1024 characters';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(passphrase))
    return 'the passphrase contains a control character (a tab, a line break or similar); use printable characters only';
  return undefined;
}

/** Stores the hash of `passphrase` (replacing any earlier one); throws when the passphrase is too weak. */
export async function setAdminPassphrase(dataDir: string, passphrase: string): Promise<void> {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new Error(problem);
  const salt = randomBytes(16);
  const hash = await derive(passphrase, salt, params);
  const file: PassphraseFile = {
    version: 1,
    algorithm: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
    setAt: Date.now(),
  };
  await writePrivateFileAtomically(adminPassphraseFile(dataDir), `${JSON.stringify(file, null, 2)}\n`);
}

async function readPassphraseFile(dataDir: string): Promise<PassphraseFile | undefined> {
  let text: string;
  try {
    text = await readFile(adminPassphraseFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<PassphraseFile>;
  if (
    parsed.algorithm !== 'scrypt' ||
    typeof parsed.salt !== 'string' ||
    typeof parsed.hash !== 'string' ||
    typeof parsed.N !== 'number' ||
    typeof parsed.r !== 'number' ||
    typeof parsed.p !== 'number'
  )
    throw new Error(
      `the admin passphrase file ${adminPassphraseFile(dataDir)} is damaged; set the passphrase again with \`integration-agent admin set-passphrase\``,
    );
  return parsed as PassphraseFile;
}

export async function hasAdminPassphrase(dataDir: string): Promise<boolean> {
  return (await readPassphraseFile(dataDir)) !== undefined;
}

/** True only when a passphrase is set and `passphrase` matches it (constant-time comparison). */
export async function verifyAdminPassphrase(dataDir: string, passphrase: string): Promise<boolean> {
  const stored = await readPassphraseFile(dataDir);
  if (!stored) return false;
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(passphrase, Buffer.from(stored.salt, 'base64'), stored);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
