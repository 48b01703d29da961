// Which paths of a watched folder are files to capture, marker or trigger files, or ignored (globs, depth, archive).
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import type { FolderSourceConfig } from './config.js';
import { isClaimName } from './file-actions.js';

/** `claim`: a file the agent renamed while archiving or deleting it (see file-actions.ts), never captured. */
export type PathKind = 'candidate' | 'marker' | 'trigger' | 'claim' | 'ignored';

type FilterOptions = Pick<
  FolderSourceConfig,
  'include' | 'exclude' | 'recursive' | 'finishedWhen' | 'markerSuffix' | 'triggerFile'
>;

export class FileFilter {
  private readonly included: (path: string) => boolean;
  private readonly excluded: (path: string) => boolean;

  /** `ignoredDirs`: absolute folders never looked into (the archive folder when it is inside a watched one). */
  constructor(
    private readonly options: FilterOptions,
    private readonly ignoredDirs: readonly string[] = [],
  ) {
    this.included = picomatch(options.include, { dot: false });
    this.excluded = options.exclude.length > 0 ? picomatch(options.exclude, { dot: true }) : () => false;
  }

  /** What a regular file at `rel` (relative to its watched folder, forward slashes) is to this source. */
  kind(rel: string): PathKind {
    if (rel === '' || this.excluded(rel)) return 'ignored';
    if (!this.options.recursive && rel.includes('/')) return 'ignored';
    const name = posix.basename(rel);
    if (isClaimName(name)) return 'claim';
    if (this.options.finishedWhen === 'marker' && name.endsWith(this.options.markerSuffix)) return 'marker';
    if (this.options.finishedWhen === 'trigger' && name === this.options.triggerFile) return 'trigger';
    return this.included(rel) ? 'candidate' : 'ignored';
  }

  /** Like kind(), but also ignored when any folder on the way is skipped (`rootDir`: the watched folder). */
  kindWithin(rootDir: string, rel: string): PathKind {
    const parts = rel.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) {
      const dirRel = parts.slice(0, depth).join('/');
      if (this.skipsDir(dirRel, join(rootDir, ...parts.slice(0, depth)))) return 'ignored';
    }
    return this.kind(rel);
  }

  /** Whether a folder is skipped entirely (its own path relative to the watched folder, and absolute). */
  skipsDir(rel: string, abs: string): boolean {
    if (rel === '') return false;
    if (!this.options.recursive) return true;
    return this.excluded(rel) || this.ignoredDirs.includes(abs);
  }

  /** Whether a path, of unknown type, is surely ignored (used by the watcher before it knows what the path is). */
  surelyIgnored(rel: string, abs: string): boolean {
    return rel !== '' && (this.excluded(rel) || this.ignoredDirs.includes(abs));
  }
}
