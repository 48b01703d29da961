// Files only their owner may read: refuse group/world access (as ssh does) and write them atomically with mode 0600.
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomically } from '../shared/atomic-write.js';
import { SecretStoreError } from './errors.js';

/** Windows has no POSIX mode bits; its ACLs are left to the installer. */
const modesApply = process.platform !== 'win32';

/** Throws unless `file` is a regular file that neither group nor others can access. `what` names it, e.g. "key file". */
export async function assertPrivateFile(file: string, what: string): Promise<void> {
  const info = await stat(file);
  if (!info.isFile()) {
    throw new SecretStoreError(
      `the ${what} ${file} is not a regular file`,
      `point the config at the file itself`,
    );
  }
  if (!modesApply) return;
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SecretStoreError(
      `the ${what} ${file} is accessible by other users (mode ${mode.toString(8).padStart(4, '0')}); it is refused, as ssh refuses such keys`,
      `run: chmod 600 ${file}`,
    );
  }
}

/** Replaces `file` atomically with mode 0600 from the first byte; missing folders are created with mode 0700. */
export async function writePrivateFileAtomically(file: string, data: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomically(file, data, { mode: 0o600 });
}
