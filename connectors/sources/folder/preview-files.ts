// The records preview's choice of files: what in the watched folders the source would capture, newest first (bounded walk).
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderSourceConfig } from './config.js';
import { FileFilter } from './file-filter.js';

/** At most this many folder entries are looked at: a preview must answer quickly even on a huge folder. */
const maxEntries = 5000;

export interface PreviewFile {
  path: string;
  bytes: number;
  modifiedAt: number;
}

export interface PreviewFiles {
  files: PreviewFile[];
  /** Why the folder could not be listed, with the fix (the first folder that failed). */
  problem?: string;
}

function folderProblem(path: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `the folder ${path} does not exist: create it or correct the path`;
  if (error.code === 'ENOTDIR') return `${path} is not a folder: point the source at a folder`;
  return `the folder ${path} cannot be read (${error.code ?? error.message}): give the account that runs the agent read access`;
}

/** Files of the watched folders that the source's patterns pick up, newest first. */
export async function previewFiles(config: FolderSourceConfig): Promise<PreviewFiles> {
  const filter = new FileFilter(config);
  const found: PreviewFile[] = [];
  let budget = maxEntries;
  const walk = async (root: string, rel: string): Promise<void> => {
    const dir = await opendir(rel === '' ? root : join(root, ...rel.split('/')));
    for await (const entry of dir) {
      if (--budget < 0) break;
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const abs = join(root, ...childRel.split('/'));
      if (entry.isDirectory()) {
        if (!filter.skipsDir(childRel, abs)) await walk(root, childRel).catch(() => undefined);
      } else if (entry.isFile() && filter.kind(childRel) === 'candidate') {
        const info = await stat(abs).catch(() => undefined);
        if (info) found.push({ path: abs, bytes: info.size, modifiedAt: info.mtimeMs });
      }
    }
  };
  let problem: string | undefined;
  for (const root of [config.path, ...config.paths]) {
    try {
      await walk(root, '');
    } catch (error) {
      problem ??= folderProblem(root, error as NodeJS.ErrnoException);
    }
  }
  found.sort((a, b) => b.modifiedAt - a.modifiedAt || a.path.localeCompare(b.path));
  return { files: found, ...(problem ? { problem } : {}) };
}
