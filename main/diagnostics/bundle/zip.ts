// Packs bundle files into a zip in memory (yazl) and writes it atomically, readable by the owner only (0600).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ZipFile } from 'yazl';

export async function zipFiles(
  files: readonly { name: string; content: Buffer }[],
  mtime: Date,
): Promise<Buffer> {
  const zip = new ZipFile();
  for (const file of files) zip.addBuffer(file.content, file.name, { mtime, mode: 0o100600 });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
  zip.end();
  return done;
}

/** Writes to a temporary file beside `path` (0600), syncs it and renames it into place: never a half-written bundle. */
export function writePrivateFileAtomic(path: string, content: Buffer): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
