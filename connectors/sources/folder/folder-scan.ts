// Walks a watched folder (honouring depth, excludes and the archive folder) and lists the files it holds now.
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileFilter, PathKind } from './file-filter.js';
import type { FolderLayout, FolderRoot, Located } from './folder-layout.js';

export interface ScannedFile extends Located {
  kind: Exclude<PathKind, 'ignored'>;
}

export interface ScanResult {
  files: ScannedFile[];
  /** Subfolders that could not be listed, with the reason (the rest of the folder is still scanned). */
  unreadable: { path: string; error: NodeJS.ErrnoException }[];
}

const isFileLink = (path: string) =>
  stat(path).then(
    (info) => info.isFile(),
    () => false,
  );

/**
 * Entries read per directory call (Node's default is 32): a folder of 5,000 files is 5 calls instead of 157, each of
 * which waits for its turn on the event loop when the agent is busy.
 */
const entriesPerRead = 1024;

/** A cap on the folder entries looked at, shared by the scans it is passed to (a preview must answer quickly). */
export interface EntryBudget {
  left: number;
}

/**
 * Lists `root`; throws only when the root itself cannot be listed (missing, permission denied). With a budget the walk
 * stops once it has looked at that many entries (the capture's scans pass none: they list everything).
 */
export async function scanFolder(
  layout: FolderLayout,
  root: FolderRoot,
  filter: FileFilter,
  budget?: EntryBudget,
): Promise<ScanResult> {
  const result: ScanResult = { files: [], unreadable: [] };
  const walk = async (rel: string): Promise<void> => {
    const dirPath = rel === '' ? root.dir : join(root.dir, ...rel.split('/'));
    const dir = await opendir(dirPath, { bufferSize: entriesPerRead });
    for await (const entry of dir) {
      if (budget && --budget.left < 0) break;
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const abs = join(dirPath, entry.name);
      const isDir = entry.isDirectory(); // symlinked folders are not followed: no loops
      const isFile = entry.isFile() || (entry.isSymbolicLink() && (await isFileLink(abs)));
      if (isDir && !filter.skipsDir(childRel, abs)) {
        if (layout.locate(abs)?.root !== root) continue; // a nested watched folder is scanned on its own
        await walk(childRel).catch((error: NodeJS.ErrnoException) => {
          result.unreadable.push({ path: abs, error });
        });
      } else if (isFile) {
        const kind = filter.kind(childRel);
        if (kind !== 'ignored') result.files.push({ ...layout.within(root, childRel), kind });
      }
    }
  };
  await walk('');
  return result;
}
