// Publishes a file atomically and never over another: temp file, fsync, hard link into place, fsync the folder.
import { link, lstat, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory, tempFileName, writeSyncedFile } from '../../../main/shared/atomic-write.js';

/** written: this call created the file; exists: the same bytes were already there; different: other bytes are. */
export type PublishResult = 'written' | 'exists' | 'different';

/** The filesystem has no hard links, without which a file cannot be published atomically without overwriting. */
export class HardLinksUnsupportedError extends Error {
  readonly code = 'ENOTSUP';
  constructor(folder: string, cause: unknown) {
    super(`the filesystem holding ${folder} does not support hard links`, { cause });
    this.name = 'HardLinksUnsupportedError';
  }
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code;

/** Compares the file at `path` with `bytes`, making sure an equal file is on disk; absent when there is none. */
async function compareExisting(path: string, bytes: Buffer): Promise<'same' | 'different' | 'absent'> {
  let handle;
  try {
    const info = await lstat(path);
    if (info.isDirectory()) throw Object.assign(new Error(`${path} is a folder`), { code: 'EISDIR' });
    if (!info.isFile()) return 'different'; // a link, pipe or device is never ours to follow or open
    handle = await open(path, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'absent';
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size !== bytes.length) return 'different';
    const existing = await handle.readFile();
    if (!existing.equals(bytes)) return 'different';
    await handle.sync(); // an earlier attempt may have crashed before its fsync
    return 'same';
  } finally {
    await handle.close();
  }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // already gone, or the folder went away: nothing is left to clean
  }
}

/**
 * Writes `bytes` as `folder/name` so that a reader sees either no file or the whole file, never overwrites an
 * existing one (link fails with EEXIST), and returns only once file and name are on disk.
 */
export async function publishFile(
  folder: string,
  name: string,
  bytes: Buffer,
  mode: number,
): Promise<PublishResult> {
  const target = join(folder, name);
  const before = await compareExisting(target, bytes);
  if (before !== 'absent') {
    if (before === 'same') await syncDirectory(folder);
    return before === 'same' ? 'exists' : 'different';
  }
  const temp = join(folder, tempFileName(name));
  try {
    await writeSyncedFile(temp, bytes, mode);
    try {
      await link(temp, target);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EEXIST') {
        const now = await compareExisting(target, bytes);
        if (now === 'absent') throw error; // removed again at once: try again later
        if (now === 'same') await syncDirectory(folder);
        return now === 'same' ? 'exists' : 'different';
      }
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS')
        throw new HardLinksUnsupportedError(folder, error);
      throw error;
    }
  } finally {
    await removeQuietly(temp);
  }
  await syncDirectory(folder);
  return 'written';
}
