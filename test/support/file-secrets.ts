// The encrypted-file secret backend for tests: a fresh 256-bit key file (mode 0600) in a directory, and its config.
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `<dir>/secret.key` and returns the `secrets:` config that uses it. */
export function fileSecrets(dir: string): { backend: 'file'; keyFile: string } {
  const keyFile = join(dir, 'secret.key');
  writeFileSync(keyFile, randomBytes(32).toString('base64'));
  chmodSync(keyFile, 0o600);
  return { backend: 'file', keyFile };
}
