// File system reads of the folder source: what a path looks like now, and one whole-file read with its limits.
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { ReadTurn } from './read-ahead.js';

/** What a path looks like at one moment. */
export type Observation =
  { exists: false } | { exists: true; isFile: boolean; size: number; mtimeMs: number };

export const sameObservation = (a: Observation, b: Observation): boolean =>
  a.exists === b.exists &&
  (!a.exists || !b.exists || (a.isFile === b.isFile && a.size === b.size && a.mtimeMs === b.mtimeMs));

const vanishedCodes = new Set(['ENOENT', 'ENOTDIR']);

/** Missing (or a parent replaced by a file) is an answer, not an error; anything else (EACCES, EIO) throws. */
export async function observe(path: string): Promise<Observation> {
  try {
    const info = await stat(path);
    return { exists: true, isFile: info.isFile(), size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (vanishedCodes.has((error as NodeJS.ErrnoException).code ?? '')) return { exists: false };
    throw error;
  }
}

export type FileRead =
  | { kind: 'read'; bytes: Buffer; size: number; mtimeMs: number }
  | { kind: 'gone' }
  | { kind: 'not-a-file' }
  | { kind: 'too-large'; size: number; mtimeMs: number };

/** libuv's share-nothing open flag: defined by Node on Windows (and macOS), absent on Linux. */
const exclusiveLock = (constants as unknown as Record<string, number | undefined>)['UV_FS_O_EXLOCK'];

/**
 * Windows only: a program still writing the file usually holds it open without sharing. Opening it with no sharing
 * at all fails (EBUSY, a sharing violation) as long as anyone has it open, so the file is not finished yet.
 */
async function probeExclusiveOpen(path: string): Promise<void> {
  if (process.platform !== 'win32' || exclusiveLock === undefined) return;
  const probe = await open(path, constants.O_RDONLY | exclusiveLock);
  await probe.close();
}

export type OpenedFile =
  | { kind: 'open'; handle: FileHandle; size: number; mtimeMs: number }
  | { kind: 'gone' }
  | { kind: 'not-a-file' };

/**
 * Opens a regular file for capture. Missing → gone, a folder or device → not-a-file (closed again); other errors
 * (EACCES, and on Windows EBUSY while another program has it open, see probeExclusiveOpen) throw.
 */
export async function openForCapture(path: string): Promise<OpenedFile> {
  let handle;
  try {
    await probeExclusiveOpen(path);
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (vanishedCodes.has(code)) return { kind: 'gone' };
    if (code === 'EISDIR') return { kind: 'not-a-file' };
    throw error;
  }
  try {
    const info = await handle.stat();
    if (info.isFile()) return { kind: 'open', handle, size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return { kind: 'not-a-file' };
}

/**
 * Reads a whole regular file, refusing it (without reading) when it is over `maxBytes`; `turn` may hold a big file's
 * read back until its turn comes.
 */
export async function readWholeFile(path: string, maxBytes: number, turn?: ReadTurn): Promise<FileRead> {
  const opened = await openForCapture(path);
  if (opened.kind !== 'open') return opened;
  const { handle, size, mtimeMs } = opened;
  try {
    if (size > maxBytes) return { kind: 'too-large', size, mtimeMs };
    await turn?.mayRead(size);
    const bytes = await readKnownSize(handle, size);
    if (bytes.length > maxBytes) return { kind: 'too-large', size: bytes.length, mtimeMs };
    return { kind: 'read', bytes, size, mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * The whole content of an open file whose stat said `size`: one positional read when it did not grow meanwhile
 * (`handle.readFile()` would stat it again and read until an empty read: two more trips to the thread pool). A file
 * that grew is read again whole; the caller's check after the read sees that it changed.
 */
export async function readKnownSize(handle: FileHandle, size: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(size + 1);
  let filled = 0;
  while (filled <= size) {
    const { bytesRead } = await handle.read(buffer, filled, size + 1 - filled, filled);
    if (bytesRead === 0) return buffer.subarray(0, filled);
    filled += bytesRead;
  }
  return handle.readFile();
}
