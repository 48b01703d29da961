// Atomic file writes: a uniquely named temp file in the same folder, fsync'd, then renamed over the target; the parts are
// shared with writers that must never overwrite (the file destination links instead of renaming).
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * After a crash the file holds either the old or the new content, never a mix; on failure the old file is untouched and
 * the temp file is removed. Concurrent writers each use their own temp file (pid and random suffix), so the last rename
 * wins with one whole version. The new file gets `options.mode` (from the moment the temp file is created, so private
 * data is never readable by others), else the existing file's mode, else 0600 (readable by this account only).
 */
export async function writeFileAtomically(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, tempFileName(basename(file)));
  const mode = options.mode ?? (await existingMode(file)) ?? 0o600;
  try {
    await writeSyncedFile(temp, data, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir).catch(() => {
    // The data itself is on disk and renamed; a folder that cannot be synced (some shares) loses nothing here.
  });
}

const tempPrefixBytes = 100;

/** The start of `name`, cut at a character boundary to at most `max` UTF-8 bytes. */
function truncated(name: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const char of name) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    out += char;
  }
  return out;
}

/** A dot-prefixed unique name for a temp file next to `name` (pid and random suffix), so "*.json" watchers skip it. */
export function tempFileName(name: string): string {
  return `.${truncated(name, tempPrefixBytes)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Creates `path` (never an existing one) with `data`, fsync'd before it returns. `mode` is set exactly (open's mode is
 * narrowed by the umask) and from the moment the file exists, so private data is never readable by others.
 */
export async function writeSyncedFile(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const handle = await open(path, 'wx', mode ?? 0o666);
  try {
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch {
    return undefined;
  }
}

/**
 * Makes a new name in `dir` durable. Windows cannot open folders (its renames need no help); a filesystem that cannot
 * sync folders (EINVAL, ENOTSUP) is accepted; any other failure is thrown.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP') throw error;
  } finally {
    await handle.close();
  }
}
