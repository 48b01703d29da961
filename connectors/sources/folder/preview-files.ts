// The records preview's choice of files: what in the watched folders the source would capture, newest first (bounded walk).
import { stat } from 'node:fs/promises';
import type { FolderSourceConfig } from './config.js';
import { FileFilter } from './file-filter.js';
import { FolderLayout } from './folder-layout.js';
import { scanFolder } from './folder-scan.js';

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
  const layout = new FolderLayout(config.path, config.paths);
  const filter = new FileFilter(config);
  const budget = { left: maxEntries };
  const found: PreviewFile[] = [];
  let problem: string | undefined;
  for (const root of layout.roots) {
    try {
      const { files } = await scanFolder(layout, root, filter, budget);
      for (const file of files) {
        if (file.kind !== 'candidate') continue;
        const info = await stat(file.abs).catch(() => undefined);
        if (info) found.push({ path: file.abs, bytes: info.size, modifiedAt: info.mtimeMs });
      }
    } catch (error) {
      problem ??= folderProblem(root.dir, error as NodeJS.ErrnoException);
    }
  }
  found.sort((a, b) => b.modifiedAt - a.modifiedAt || a.path.localeCompare(b.path));
  return { files: found, ...(problem ? { problem } : {}) };
}
