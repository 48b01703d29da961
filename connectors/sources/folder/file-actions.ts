// After-delivery file actions: move a delivered file into the archive without ever overwriting, or delete it.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, resolve } from 'node:path';
import { readKnownSize } from './file-reader.js';

const claimSuffix = '.agent-claim';

/**
 * Before archiving or deleting a delivered file the agent renames it to `.<name>.agent-claim` in the same folder
 * (atomic), then checks its hash: an export that rewrites the file meanwhile writes a new file, never the claimed one.
 */
export const claimPathFor = (path: string) => join(dirname(path), `.${basename(path)}${claimSuffix}`);

export const isClaimName = (name: string) =>
  name.startsWith('.') && name.endsWith(claimSuffix) && name.length > claimSuffix.length + 1;

/** The file a claim was made from. */
export const originalOfClaim = (claim: string) =>
  join(dirname(claim), basename(claim).slice(1, -claimSuffix.length));

/** Up to this size a file is hashed from one read, a bigger one streamed. */
const hashInOneReadBytes = 1024 * 1024;

/** SHA-256 of a file as it is on disk now, or undefined when it is gone. */
export async function hashFileOnDisk(path: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size <= hashInOneReadBytes) hash.update(await readKnownSize(handle, size));
    else
      for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** The archive folder for files of a watched folder: `archiveDir` itself, or inside the folder when relative. */
export const archiveRootFor = (watchedDir: string, archiveDir: string) =>
  isAbsolute(archiveDir) ? resolve(archiveDir) : join(watchedDir, archiveDir);

/** Candidate archive names: the file's own path, then with a content tag, then numbered. */
function archiveName(rel: string, hash: string, attempt: number): string {
  if (attempt === 0) return rel;
  const dir = posix.dirname(rel);
  const ext = posix.extname(rel);
  const stem = posix.basename(rel, ext);
  const suffix = attempt === 1 ? hash.slice(0, 12) : `${hash.slice(0, 12)}-${attempt}`;
  const name = stem === '' ? `${ext}-${suffix}` : `${stem}-${suffix}${ext}`;
  return dir === '.' ? name : `${dir}/${name}`;
}

const linkUnsupported = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);
const maxAttempts = 100;

/** Places `src` at `dst` only if `dst` does not exist (hard link, or an exclusive copy across disks). */
export async function placeWithoutOverwrite(src: string, dst: string): Promise<boolean> {
  try {
    await link(src, dst);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!linkUnsupported.has(code)) throw error;
  }
  try {
    await copyFile(src, dst, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Moves `src` to `archiveRoot/rel`; when that name is taken, to `name-<first 12 hex of the hash>.ext`, then numbered.
 * Never overwrites anything in the archive. Returns where the file went.
 */
export async function archiveFile(
  src: string,
  archiveRoot: string,
  rel: string,
  hash: string,
): Promise<string> {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const dst = join(archiveRoot, ...archiveName(rel, hash, attempt).split('/'));
    await mkdir(dirname(dst), { recursive: true });
    if (await placeWithoutOverwrite(src, dst)) {
      await unlink(src);
      return dst;
    }
  }
  throw new Error(
    `the archive already holds ${maxAttempts} files named like ${rel}. Fix: clean up ${archiveRoot}`,
  );
}

/** Moves a marker file next to its archived file, or removes it when that name is taken; a missing marker is fine. */
export async function archiveCompanion(companion: string, archivedAs: string): Promise<void> {
  try {
    await placeWithoutOverwrite(companion, archivedAs);
    await unlink(companion);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Deletes a file; already gone is fine. */
export async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
