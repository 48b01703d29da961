// Identity of one version of a file: content hash, deterministic idempotency key, and its checkpoint entry.
import { createHash } from 'node:crypto';
import { extname } from 'node:path';

export interface FileState {
  hash: string;
  size: number;
  mtimeMs: number;
}

export function contentHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Same relative path + same bytes → same key, on every machine and every run. */
export function fileVersionKey(relativePath: string, hash: string): string {
  return createHash('sha256')
    .update('folder-file\0')
    .update(relativePath)
    .update('\0')
    .update(hash)
    .digest('hex');
}

export const checkpointKey = (relativePath: string) => `file:${relativePath}`;

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
