// Watches one folder (fs.watch events; chokidar when polling); falls back to polling at the OS watch limit (ENOSPC,
// EMFILE) and restarts a watcher that failed for any other reason, so a folder is never left unwatched for good.
import { watch, type ChokidarOptions } from 'chokidar';
import type { EventEmitter } from 'node:events';
import type { Stats } from 'node:fs';
import { NativeWatcher } from './native-watcher.js';

/** What the folder watcher needs of a watcher: 'add'/'change'/'unlink' with a path, 'ready', 'error', close(). */
export type PathWatcher = Pick<EventEmitter, 'on' | 'once'> & { close(): Promise<void> };

/** chokidar's options, and paths surely not a folder (no look needed to see whether a folder appeared there). */
export type WatcherOptions = ChokidarOptions & { notAFolder?: (path: string) => boolean };

/** Makes a watcher; tests pass one that fails like a full inotify table. */
export type WatcherFactory = (dir: string, options: WatcherOptions) => PathWatcher;

/**
 * The default: fs.watch events (no re-listing of the folder per event, see native-watcher.ts); chokidar only when
 * polling, where it is the well-tried choice.
 */
export const defaultWatcher: WatcherFactory = (dir, { notAFolder, ...options }) =>
  options.usePolling
    ? watch(dir, options)
    : new NativeWatcher(dir, {
        recursive: options.depth === undefined,
        ignored: options.ignored as (path: string, stats?: Stats) => boolean,
        ...(notAFolder ? { notAFolder } : {}),
      });

export interface FolderWatcherOptions {
  recursive: boolean;
  /** Paths the watcher need not look at (stats are absent when chokidar does not know the type yet). */
  ignored: (path: string, stats?: Stats) => boolean;
  /** Paths surely not a folder: the source's own claim files, files it just moved away. */
  notAFolder?: (path: string) => boolean;
  /** How often each file is looked at once the watcher had to fall back to polling. */
  pollIntervalMs: number;
  factory: WatcherFactory;
  /** Something at this path was added, changed or removed. */
  onPath: (path: string) => void;
  /** The watcher now polls; `message` says why and how to fix it. */
  onFallback: (message: string) => void;
  /** Any other watcher error: the watcher is restarted after `restartMs` (the periodic rescan covers the gap). */
  onError: (error: Error, restartMs: number) => void;
  /** A watcher restarted after an error watches again (events may have been missed: rescan). */
  onRestarted: () => void;
  /** Delay before restarting a failed watcher (doubles while it keeps failing, up to 60 s; default 1 s). */
  restartMs?: number;
}

const watchLimitCodes = new Set(['ENOSPC', 'EMFILE']);

/** The status text for a hit watch limit: names the limit and how to raise it. */
export function watchLimitMessage(dir: string, code: string): string {
  if (code === 'EMFILE')
    return (
      `too many open files (EMFILE) while watching ${dir}: watching it by polling instead (slower, more disk reads). ` +
      'Fix: raise the open-file limit of the agent (e.g. LimitNOFILE=65536 in its systemd unit) and restart it'
    );
  return (
    `the Linux limit on watched folders (fs.inotify.max_user_watches) is reached, so ${dir} is watched by ` +
    'polling instead (slower, more disk reads). Fix: raise it with `sudo sysctl fs.inotify.max_user_watches=524288`, ' +
    'keep it across reboots with `echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-inotify.conf`, ' +
    'then restart the agent'
  );
}

export class FolderWatcher {
  private watcher: PathWatcher;
  private switching: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  polling = false;

  private constructor(
    private readonly dir: string,
    private readonly options: FolderWatcherOptions,
  ) {
    this.watcher = this.create(false);
  }

  /** Resolves once the initial directory walk of the watcher is done (or it failed and is being replaced). */
  static async start(dir: string, options: FolderWatcherOptions): Promise<FolderWatcher> {
    const watcher = new FolderWatcher(dir, options);
    await watcher.ready(watcher.watcher);
    return watcher;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    await this.switching;
    await this.watcher.close();
  }

  private create(usePolling: boolean): PathWatcher {
    const { options } = this;
    const watcher = options.factory(this.dir, {
      ignoreInitial: true,
      depth: options.recursive ? undefined : 0,
      ignored: options.ignored,
      ...(options.notAFolder ? { notAFolder: options.notAFolder } : {}),
      usePolling,
      interval: options.pollIntervalMs,
      binaryInterval: options.pollIntervalMs,
    });
    for (const event of ['add', 'change', 'unlink'] as const)
      watcher.on(event, (path: string) => options.onPath(path));
    watcher.on('error', (error: NodeJS.ErrnoException) => this.failed(watcher, error));
    return watcher;
  }

  /** Resolves on 'ready' (undefined) or with the first error, so start-up never hangs on a watcher that failed. */
  private ready(watcher: PathWatcher): Promise<NodeJS.ErrnoException | undefined> {
    return new Promise((resolve) => {
      watcher.once('ready', () => resolve(undefined));
      watcher.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    });
  }

  private failed(watcher: PathWatcher, error: NodeJS.ErrnoException): void {
    const code = error.code ?? '';
    if (watcher !== this.watcher || this.closed || this.switching || this.restartTimer) return;
    if (watchLimitCodes.has(code) && !this.polling) {
      this.polling = true;
      this.replace(watcher, () => this.options.onFallback(watchLimitMessage(this.dir, code)));
      return;
    }
    // Any other failure (or the limit hit again while polling): never leave the folder unwatched, restart it.
    const delay = Math.min((this.options.restartMs ?? 1000) * 2 ** this.failures, 60_000);
    this.failures += 1;
    this.options.onError(error, delay);
    void watcher.close().catch(() => undefined);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.closed) return;
      this.replace(undefined, () => {
        this.failures = 0;
        this.options.onRestarted();
      });
    }, delay);
  }

  /** Closes `old` (if given), makes a new watcher in the current mode; `then` once it is ready, else it failed again. */
  private replace(old: PathWatcher | undefined, then: () => void): void {
    this.switching = (async () => {
      await old?.close();
      if (this.closed) return undefined;
      this.watcher = this.create(this.polling);
      return this.ready(this.watcher);
    })().then((error) => {
      this.switching = undefined;
      if (this.closed) return;
      if (error) this.failed(this.watcher, error);
      else then();
    });
  }
}
