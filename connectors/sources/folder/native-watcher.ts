// Event-only folder watcher on fs.watch (inotify, FSEvents, ReadDirectoryChangesW): one event costs O(1), never a re-listing.
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher as NodeWatcher, type Stats } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface NativeWatcherOptions {
  /** Watch subfolders too (each with its own fs.watch), found at start and whenever one appears. */
  recursive: boolean;
  ignored: (path: string, stats?: Stats) => boolean;
  /**
   * Paths surely not a folder, not looked at on a 'rename' event: the folder source's claim files and the files it just
   * moved away itself (three events per file it deletes after delivery). The periodic rescan finds any folder anyway.
   */
  notAFolder?: (path: string) => boolean;
}

/**
 * Emits 'add' with the path named by each OS event (created, written, renamed or removed: the listener looks at the
 * path itself), 'ready' once every folder is watched, and 'error' when a folder cannot be watched (EMFILE, ENOSPC…).
 * Unlike chokidar it keeps no listing of the folder: chokidar re-reads the whole folder (an lstat per entry) on
 * every event, so a folder with thousands of waiting files costs thousands of syscalls per event.
 */
export class NativeWatcher extends EventEmitter {
  private readonly dirs = new Map<string, NodeWatcher>();
  /** Paths whose stat (is it a new folder?) is under way; true when another event came for it meanwhile. */
  private readonly looking = new Map<string, boolean>();
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly options: NativeWatcherOptions,
  ) {
    super();
    void this.watchDir(root, false).then(
      () => !this.closed && this.emit('ready'),
      (error: unknown) => this.fail(error),
    );
  }

  close(): Promise<void> {
    this.closed = true;
    for (const watcher of this.dirs.values()) watcher.close();
    this.dirs.clear();
    return Promise.resolve();
  }

  /** Watches `dir`; `announce`: a folder that appeared later, whose files may predate its watch, is walked once. */
  private async watchDir(dir: string, announce: boolean): Promise<void> {
    if (this.closed || this.dirs.has(dir)) return;
    const watcher = watch(dir, { persistent: true }, (eventType, name) => {
      if (name !== null) this.event(dir, name.toString(), eventType);
    });
    watcher.on('error', (error) => {
      // The folder itself went away: its parent's event (or the rescan) deals with it; anything else is reported.
      this.dirs.delete(dir);
      watcher.close();
      if ((error as NodeJS.ErrnoException).code !== 'EPERM' || dir === this.root) this.fail(error);
    });
    this.dirs.set(dir, watcher);
    if (!this.options.recursive && !announce) return;
    const entries = await opendir(dir).catch(() => undefined);
    if (!entries) return;
    for await (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (this.options.recursive && !this.options.ignored(path)) await this.watchDir(path, announce);
      } else if (announce) this.emit('add', path);
    }
  }

  /**
   * A folder appears or goes away with a 'rename' event (created, moved, removed); writes into a file only give
   * 'change'. So only a 'rename' needs a look at what the path is now; a burst of them shares one look, plus one
   * more after it if any came while it ran (the path may have changed again meanwhile).
   */
  private event(dir: string, name: string, eventType: string): void {
    if (this.closed) return;
    const path = join(dir, name);
    if (this.options.ignored(path)) return;
    this.emit('add', path);
    if (eventType !== 'rename' || !this.options.recursive || this.dirs.has(path)) return;
    if (this.options.notAFolder?.(path)) return;
    if (this.looking.has(path)) this.looking.set(path, true);
    else this.lookAt(path);
  }

  private lookAt(path: string): void {
    this.looking.set(path, false);
    stat(path)
      .then(
        (info) => {
          if (info.isDirectory() && !this.options.ignored(path, info))
            this.watchDir(path, true).catch((error: unknown) => this.fail(error));
        },
        () => this.forget(path),
      )
      .finally(() => {
        const again = this.looking.get(path);
        this.looking.delete(path);
        if (again && !this.closed && !this.dirs.has(path)) this.lookAt(path);
      });
  }

  private forget(path: string): void {
    const watcher = this.dirs.get(path);
    if (!watcher) return;
    watcher.close();
    this.dirs.delete(path);
  }

  private fail(error: unknown): void {
    if (!this.closed) this.emit('error', error instanceof Error ? error : new Error(String(error)));
  }
}
