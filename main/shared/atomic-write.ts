// Replaces a file atomically: write a uniquely named temp file in the same folder, fsync it, rename it over the target.
import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * After a crash the file holds either the old or the new content, never a mix; on failure the old file is untouched and
 * the temp file is removed. Concurrent writers each use their own temp file (pid and random suffix), so the last rename
 * wins with one whole version. The new file gets `options.mode` (from the moment the temp file is created, so private
 * data is never readable by others), else the existing file's mode.
 */
export async function writeFileAtomically(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = options.mode ?? (await existingMode(file));
  const handle = await open(temp, 'wx', options.mode ?? 0o666);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** Makes the rename itself durable. Windows cannot fsync a directory; its rename needs no help. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on this platform; the data itself is already on disk.
  } finally {
    await handle?.close();
  }
}
