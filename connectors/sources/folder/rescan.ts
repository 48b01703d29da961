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
  /** Every folder was listed (and is watched); the `files` found are looked at next. */
  listed?(files: number): void;
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

/** Files looked at in parallel. */
const observeChunk = 32;

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
  const listings: Awaited<ReturnType<typeof scanFolder>>[] = [];
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
    listings.push(result);
  }
  for (const file of listings.flatMap((l) => l.files)) {
    present.add(file.abs);
    if (file.kind === 'claim') host.recoverClaim(file.abs);
  }
  const candidates = listings
    .flatMap((l) => l.files)
    .filter((f) => f.kind === 'candidate' && !host.isWaiting(f.abs));
  host.listed?.(candidates.length); // every folder listed and watched: what follows only looks at the files found
  for (let i = 0; i < candidates.length; i += observeChunk) {
    const chunk = candidates.slice(i, i + observeChunk);
    const seen = await Promise.all(chunk.map((f) => observe(f.abs).catch(() => undefined)));
    chunk.forEach((file, j) => {
      const now = seen[j];
      if (host.isWaiting(file.abs)) return; // a watcher event got there first
      if (!now?.exists || !now.isFile) {
        host.watch(file.abs); // vanished or unreadable since the listing: the watch settles it
        return;
      }
      if (host.problems.stillRefused(file.abs, now.size, now.mtimeMs)) return;
      if (!unchanged(states.get(file.identity), now.size, now.mtimeMs)) host.watch(file.abs);
    });
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
