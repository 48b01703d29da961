// Catch-up and periodic full rescan: compares the folders with the stored file states and queues what differs.
import { sep } from 'node:path';
import type { FileFilter } from './file-filter.js';
import type { FileProblems } from './file-problems.js';
import { observe } from './file-reader.js';
import { parseFileState, pathOfCheckpointKey, type FileState } from './file-version.js';
import type { FolderLayout, FolderRoot } from './folder-layout.js';
import { scanFolder } from './folder-scan.js';

export interface RescanHost {
  layout: FolderLayout;
  filter: FileFilter;
  problems: FileProblems;
  emitDeletes: boolean;
  /** All checkpoint entries of the source. */
  checkpoints(): Map<string, string>;
  /** Whether the path is already being watched until it settles. */
  isWaiting(path: string): boolean;
  /** Watch a path until it settles (then it is captured, or handled as gone). */
  watch(path: string): void;
  /** A claim file left over from an interrupted archive/delete. */
  recoverClaim(path: string): void;
  /** The folder could (again) be listed; the host makes sure it is watched. */
  rootAvailable(root: FolderRoot): Promise<void>;
  rootUnavailable(root: FolderRoot, error: NodeJS.ErrnoException): void;
  unreadableDir(path: string, error: NodeJS.ErrnoException): void;
}

export interface RescanResult {
  /** Identity → state of every checkpointed file of this source. */
  states: Map<string, FileState>;
  /** Paths found in the folders that could be listed. */
  present: Set<string>;
  scannedRoots: Set<FolderRoot>;
}

/** Captured completely and still the same file (a records-mode file captured part way is not: it is resumed). */
const unchanged = (state: FileState | undefined, size: number, mtimeMs: number) =>
  state !== undefined &&
  !state.deleted &&
  !state.handled &&
  state.partial === undefined &&
  state.size === size &&
  state.mtimeMs === mtimeMs;

export async function rescan(host: RescanHost): Promise<RescanResult> {
  const states = new Map<string, FileState>();
  for (const [key, value] of host.checkpoints()) {
    const identity = pathOfCheckpointKey(key);
    const state = identity === undefined ? undefined : parseFileState(value);
    if (identity !== undefined && state) states.set(identity, state);
  }
  const present = new Set<string>();
  const scannedRoots = new Set<FolderRoot>();
  const unreadable: string[] = [];
  for (const root of host.layout.roots) {
    let result;
    try {
      result = await scanFolder(host.layout, root, host.filter);
    } catch (error) {
      host.rootUnavailable(root, error as NodeJS.ErrnoException);
      continue;
    }
    scannedRoots.add(root);
    await host.rootAvailable(root);
    for (const dir of result.unreadable) {
      unreadable.push(dir.path);
      host.unreadableDir(dir.path, dir.error);
    }
    for (const file of result.files) {
      present.add(file.abs);
      if (file.kind === 'claim') host.recoverClaim(file.abs);
      if (file.kind !== 'candidate' || host.isWaiting(file.abs)) continue;
      const seen = await observe(file.abs).catch(() => undefined);
      if (!seen?.exists || !seen.isFile) {
        host.watch(file.abs); // vanished or unreadable since the listing: the watch settles it
        continue;
      }
      if (host.problems.stillRefused(file.abs, seen.size, seen.mtimeMs)) continue;
      if (!unchanged(states.get(file.identity), seen.size, seen.mtimeMs)) host.watch(file.abs);
    }
  }
  if (host.emitDeletes) {
    // Captured files missing from a folder that could be listed (never from one that is unmounted or unreadable).
    for (const [identity, state] of states) {
      if (state.deleted || state.handled) continue;
      const file = host.layout.resolveIdentity(identity);
      if (!file || !scannedRoots.has(file.root) || present.has(file.abs) || host.isWaiting(file.abs))
        continue;
      if (unreadable.some((dir) => file.abs.startsWith(dir + sep))) continue;
      if (host.filter.kindWithin(file.root.dir, file.rel) === 'candidate') host.watch(file.abs);
    }
  }
  return { states, present, scannedRoots };
}
