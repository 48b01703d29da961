// Files only their owner may read: refuse group/world access (as ssh does) and write them atomically with mode 0600.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

/**
 * Replaces `file` with `data` so that a crash leaves the old or the new content, never a mix: a temp file created
 * with mode 0600 in the same folder, fsync, rename, fsync of the folder. Missing folders are created with mode 0700.
 */
export async function writePrivateFileAtomically(file: string, data: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a folder; its rename needs no help.
  } finally {
    await handle?.close();
  }
}
