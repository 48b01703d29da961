// "Test connection" and `doctor` for a file destination: the folder exists and is a folder, the agent may write, free space.
import { open, stat, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckOptions } from '../../core/connector.js';
import { overallOf, type DoctorCheck, type DoctorReport } from '../../../preload/contract/doctor.js';
import { tempFileName } from '../../../main/shared/atomic-write.js';
import type { FileDestinationConfig } from './config.js';
import { describeWriteError, type WritePlace } from './write-errors.js';

const MiB = 1024 * 1024;
/** Below this much free space the check warns. */
export const lowFreeSpaceBytes = 100 * MiB;

type Found = { check: DoctorCheck; isFolder?: boolean };

function failed(id: string, title: string, error: unknown, place: WritePlace): DoctorCheck {
  const { problem, fix, code } = describeWriteError(error, place);
  return { id, title, status: 'fail', detail: problem, fix, data: { code } };
}

async function folderExists(config: FileDestinationConfig, place: WritePlace): Promise<Found> {
  const title = 'Folder exists';
  try {
    const info = await stat(config.folder);
    return {
      check: { id: 'folder', title, status: 'pass', detail: `${config.folder} exists` },
      isFolder: info.isDirectory(),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && config.createFolder)
      return {
        check: {
          id: 'folder',
          title,
          status: 'pass',
          detail: `${config.folder} does not exist yet; the agent creates it with the first file (createFolder)`,
        },
      };
    return { check: failed('folder', title, error, place) };
  }
}

function isFolderCheck(config: FileDestinationConfig, found: Found): DoctorCheck {
  const title = 'Is a folder';
  if (found.isFolder === undefined)
    return { id: 'directory', title, status: 'skip', detail: 'the folder does not exist (see above)' };
  if (found.isFolder)
    return { id: 'directory', title, status: 'pass', detail: `${config.folder} is a folder` };
  return {
    id: 'directory',
    title,
    status: 'fail',
    detail: `${config.folder} is a file, not a folder`,
    fix: 'point folder at a directory, or move the file away',
  };
}

/** Creates, fsyncs and removes a hidden probe file: exactly the steps of a real write, without leaving anything. */
async function writeProbe(config: FileDestinationConfig, place: WritePlace): Promise<DoctorCheck> {
  const title = 'Agent may write';
  const probe = join(config.folder, tempFileName('outbox-probe'));
  try {
    const handle = await open(probe, 'wx', 0o600);
    try {
      await handle.writeFile('probe\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await unlink(probe);
    return {
      id: 'write',
      title,
      status: 'pass',
      detail: `created, synced and removed a probe file in ${config.folder}`,
    };
  } catch (error) {
    return failed('write', title, error, { ...place, target: probe });
  }
}

async function freeSpace(config: FileDestinationConfig, place: WritePlace): Promise<DoctorCheck> {
  const title = 'Free space';
  try {
    const fs = await statfs(config.folder);
    const free = fs.bavail * fs.bsize;
    const data = { freeBytes: free, totalBytes: fs.blocks * fs.bsize };
    const shown = `${(free / MiB).toFixed(1)} MiB free on the filesystem holding ${config.folder}`;
    if (free < lowFreeSpaceBytes)
      return {
        id: 'free-space',
        title,
        status: 'warn',
        detail: shown,
        fix: `free space or move the folder: below ${lowFreeSpaceBytes / MiB} MiB writes may soon fail (they are retried, not lost)`,
        data,
      };
    return { id: 'free-space', title, status: 'pass', detail: shown, data };
  } catch (error) {
    return failed('free-space', title, error, place);
  }
}

export async function checkFileDestination(
  config: FileDestinationConfig,
  options: CheckOptions,
): Promise<DoctorReport> {
  const startedAt = Date.now();
  const started = performance.now();
  const place = { folder: config.folder, createFolder: config.createFolder };
  const found = await folderExists(config, place);
  const directory = isFolderCheck(config, found);
  const skip = (id: string, title: string): DoctorCheck => ({
    id,
    title,
    status: 'skip',
    detail: found.isFolder === undefined ? 'the folder does not exist yet' : 'not a folder (see above)',
  });
  const usable = found.isFolder === true;
  const write = usable ? await writeProbe(config, place) : skip('write', 'Agent may write');
  const space = usable ? await freeSpace(config, place) : skip('free-space', 'Free space');
  const checks = [found.check, directory, write, space];
  return {
    destination: config.folder,
    ...(options.connection ? { connection: options.connection } : {}),
    startedAt,
    durationMs: Math.round(performance.now() - started),
    checks,
    overall: overallOf(checks),
  };
}
