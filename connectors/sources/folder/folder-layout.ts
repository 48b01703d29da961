// The watched folders of one source and the stable path ("identity") under which each file is keyed and checkpointed.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface FolderRoot {
  /** Absolute folder path. */
  dir: string;
  /**
   * False for the main `path`: its files are identified by their path relative to it (so the folder can move).
   * True for the extra `paths`: their files are identified by their full path, so two folders never collide.
   */
  fullIdentity: boolean;
}

/** A file located in one of the roots. */
export interface Located {
  root: FolderRoot;
  /** Path relative to the root, with forward slashes ('' for the root itself). */
  rel: string;
  /** The file's identity: idempotency key, ordering key, checkpoint and delete records use it. */
  identity: string;
  abs: string;
}

const toSlashes = (path: string) => path.split(sep).join('/');

export class FolderLayout {
  readonly roots: FolderRoot[];

  constructor(path: string, paths: readonly string[]) {
    const main: FolderRoot = { dir: resolve(path), fullIdentity: false };
    const extra = paths.map((p) => ({ dir: resolve(p), fullIdentity: true }));
    this.roots = [
      main,
      ...extra.filter((r, i) => r.dir !== main.dir && extra.findIndex((e) => e.dir === r.dir) === i),
    ];
  }

  /** The deepest root containing `abs` (folders may nest), or undefined when it is outside all of them. */
  locate(abs: string): Located | undefined {
    let best: FolderRoot | undefined;
    for (const root of this.roots) {
      const rel = relative(root.dir, abs);
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      if (!best || root.dir.length > best.dir.length) best = root;
    }
    if (!best) return undefined;
    return this.within(best, toSlashes(relative(best.dir, abs)));
  }

  /** The file `rel` (forward slashes) inside `root`. */
  within(root: FolderRoot, rel: string): Located {
    const abs = join(root.dir, ...rel.split('/'));
    return { root, rel, abs, identity: root.fullIdentity ? toSlashes(abs) : rel };
  }

  /** Where a checkpointed identity lives now, or undefined when its folder is no longer configured. */
  resolveIdentity(identity: string): Located | undefined {
    const full = identity.startsWith('/') || /^[A-Za-z]:\//.test(identity);
    if (!full) return this.within(this.roots[0] as FolderRoot, identity);
    const located = this.locate(resolve(identity));
    return located?.identity === identity ? located : undefined;
  }
}
