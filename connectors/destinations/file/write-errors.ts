// What a failed file write means: whether it may pass by itself (retry) or needs a person (dead), in plain words with a fix.
import type { Outcome } from '../../core/destination.js';

export interface WritePlace {
  folder: string;
  /** The file being written, when known. */
  target?: string;
  createFolder: boolean;
}

export interface WriteProblem {
  /** Retry later (the disk or share may recover), or dead (nothing changes without a person). */
  retry: boolean;
  /** The system error code, e.g. ENOSPC. */
  code: string;
  /** What went wrong. */
  problem: string;
  /** What to do about it. */
  fix: string;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeCode(code: string, place: WritePlace): Omit<WriteProblem, 'code'> | undefined {
  const { folder } = place;
  const file = place.target ?? folder;
  switch (code) {
    case 'ENOSPC':
      return {
        retry: true,
        problem: `the disk holding ${folder} is full`,
        fix: 'free space or move the folder',
      };
    case 'EDQUOT':
      return {
        retry: true,
        problem: `the agent's account is over its disk quota on ${folder}`,
        fix: 'raise the quota or free space',
      };
    case 'EIO':
      return {
        retry: true,
        problem: `the disk or share holding ${folder} reported an input/output error`,
        fix: 'check the disk, or the network share and its connection',
      };
    case 'EAGAIN':
    case 'EBUSY':
      return {
        retry: true,
        problem: `${file} is busy`,
        fix: 'it is tried again; check what else holds the file',
      };
    case 'EMFILE':
    case 'ENFILE':
      return {
        retry: true,
        problem: 'the agent has too many files open',
        fix: 'lower concurrency, or raise the open-files limit of the account that runs the agent',
      };
    case 'ENOENT':
      return {
        retry: true,
        problem: `the folder ${folder} does not exist (a share that is not mounted?)`,
        fix: place.createFolder
          ? 'check that the share is mounted and its parent folders exist'
          : 'create the folder or mount the share, or set createFolder: true',
      };
    case 'ESTALE':
    case 'ETIMEDOUT':
    case 'ENOTCONN':
    case 'EHOSTDOWN':
      return {
        retry: true,
        problem: `the network share holding ${folder} is not reachable (${code})`,
        fix: 'reconnect or remount the share',
      };
    case 'EACCES':
    case 'EPERM':
      return {
        retry: false,
        problem: `the agent may not write into ${folder}`,
        fix: 'give the account that runs the agent write access to the folder, then replay',
      };
    case 'EROFS':
      return {
        retry: false,
        problem: `${folder} is on a read-only filesystem`,
        fix: 'remount it read-write or choose another folder, then replay',
      };
    case 'ENOTDIR':
      return {
        retry: false,
        problem: `${folder} (or a folder on its path) is not a folder`,
        fix: 'point folder at a directory, then replay',
      };
    case 'ENAMETOOLONG':
      return {
        retry: false,
        problem: `the path ${file} is too long for the filesystem`,
        fix: 'use a shorter folder or fileName, then replay',
      };
    case 'ENOTSUP':
      return {
        retry: false,
        problem: `the filesystem holding ${folder} does not support hard links, which the agent needs to publish files without overwriting`,
        fix: 'choose a folder on a filesystem with hard links (NTFS, ext4, XFS, APFS, or a share that offers them), then replay',
      };
    case 'EISDIR':
      return {
        retry: false,
        problem: `${file} is a folder, not a file`,
        fix: 'move the folder away or change fileName, then replay',
      };
    default:
      return undefined;
  }
}

/** Plain words for a failed write; unknown errors are retried (the record is kept, a person sees the error). */
export function describeWriteError(error: unknown, place: WritePlace): WriteProblem {
  const code = errorCode(error) ?? 'error';
  const known = describeCode(code, place);
  if (known) return { code, ...known };
  const message = error instanceof Error ? error.message : String(error);
  return {
    code,
    retry: true,
    problem: `writing ${place.target ?? place.folder} failed: ${message}`,
    fix: 'check the disk and the folder; it is tried again',
  };
}

/** The transport-neutral outcome of a failed write. */
export function writeErrorOutcome(error: unknown, place: WritePlace): Outcome {
  const { retry, code, problem, fix } = describeWriteError(error, place);
  const text = `${problem}; ${fix}`;
  return retry
    ? { kind: 'retry', error: text, code, signal: 'failure' }
    : { kind: 'dead', error: text, code };
}
