// Identity of one version of a file: content hash, deterministic idempotency keys, and its checkpoint entry.
import { createHash } from 'node:crypto';
import { extname } from 'node:path';

/** The checkpoint entry of one file: the last version captured (or, with `deleted`, the last one before it vanished). */
export interface FileState {
  hash: string;
  size: number;
  mtimeMs: number;
  /** How often the file was re-created after a delete record; keeps the keys of a re-created version new. */
  generation?: number;
  /** The file vanished and a delete record was captured for it (a tombstone). */
  deleted?: true;
  /** The after-delivery action (archive or delete) was applied to this version. */
  handled?: true;
  /** Records mode, while a version is captured part way: how many record positions are stored (resume point). */
  partial?: number;
  /** Records mode: how many record positions (records and rejected rows) the version had. */
  records?: number;
}

/** The generation of the next version of a file: a file re-created after its delete record counts up. */
export function nextGeneration(state: FileState | undefined): number {
  return state?.deleted ? (state.generation ?? 0) + 1 : (state?.generation ?? 0);
}

export function contentHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Same path + same bytes (+ same generation) → same key, on every machine and every run. Generation 0 (every file
 * never deleted with emitDeletes on) keeps the original two-part key, so an upgrade never re-keys captured files.
 */
export function fileVersionKey(path: string, hash: string, generation = 0): string {
  const digest = createHash('sha256').update('folder-file\0').update(path).update('\0').update(hash);
  if (generation > 0) digest.update('\0').update(String(generation));
  return digest.digest('hex');
}

/** Key of the delete record of a file version: the same disappearance captured twice gives the same key. */
export function deleteRecordKey(path: string, lastHash: string, generation = 0): string {
  return createHash('sha256')
    .update('folder-delete\0')
    .update(path)
    .update('\0')
    .update(lastHash)
    .update('\0')
    .update(String(generation))
    .digest('hex');
}

const checkpointPrefix = 'file:';

export const checkpointKey = (path: string) => `${checkpointPrefix}${path}`;

/** The file path of a checkpoint key of this source, or undefined for other entries. */
export function pathOfCheckpointKey(key: string): string | undefined {
  return key.startsWith(checkpointPrefix) ? key.slice(checkpointPrefix.length) : undefined;
}

export function parseFileState(value: string | undefined): FileState | undefined {
  return value === undefined ? undefined : (JSON.parse(value) as FileState);
}

const contentTypes: Record<string, string> = {
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
  '.pdf': 'application/pdf',
};

export function contentTypeFor(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
