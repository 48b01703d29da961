// Watches one folder with chokidar; when the OS watch limit is hit (Linux inotify ENOSPC) it falls back to polling.
import { watch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';

/** Makes a chokidar watcher; tests pass one that fails like a full inotify table. */
export type WatcherFactory = (dir: string, options: ChokidarOptions) => FSWatcher;

export const chokidarWatcher: WatcherFactory = (dir, options) => watch(dir, options);

export interface FolderWatcherOptions {
  recursive: boolean;
  /** Paths the watcher need not look at (stats are absent when chokidar does not know the type yet). */
  ignored: (path: string, stats?: Stats) => boolean;
  /** How often each file is looked at once the watcher had to fall back to polling. */
  pollIntervalMs: number;
  factory: WatcherFactory;
  /** Something at this path was added, changed or removed. */
  onPath: (path: string) => void;
  /** The watcher now polls; `message` says why and how to fix it. */
  onFallback: (message: string) => void;
  /** Any other watcher error (shown in status; the periodic rescan still covers the folder). */
  onError: (error: Error) => void;
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
  private watcher: FSWatcher;
  private switching: Promise<void> | undefined;
  private closed = false;
  polling = false;

  private constructor(
    private readonly dir: string,
    private readonly options: FolderWatcherOptions,
  ) {
    this.watcher = this.create(false);
  }

  /** Resolves once the initial directory walk of the watcher is done. */
  static async start(dir: string, options: FolderWatcherOptions): Promise<FolderWatcher> {
    const watcher = new FolderWatcher(dir, options);
    await watcher.ready(watcher.watcher);
    return watcher;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.switching;
    await this.watcher.close();
  }

  private create(usePolling: boolean): FSWatcher {
    const { options } = this;
    const watcher = options.factory(this.dir, {
      ignoreInitial: true,
      depth: options.recursive ? undefined : 0,
      ignored: options.ignored,
      usePolling,
      interval: options.pollIntervalMs,
      binaryInterval: options.pollIntervalMs,
    });
    for (const event of ['add', 'change', 'unlink'] as const)
      watcher.on(event, (path) => options.onPath(path));
    watcher.on('error', (error) => this.failed(watcher, error as NodeJS.ErrnoException));
    return watcher;
  }

  private ready(watcher: FSWatcher): Promise<void> {
    return new Promise((resolve) => watcher.once('ready', () => resolve()));
  }

  private failed(watcher: FSWatcher, error: NodeJS.ErrnoException): void {
    const code = error.code ?? '';
    if (watcher !== this.watcher || this.closed) return;
    if (!watchLimitCodes.has(code) || this.polling) {
      this.options.onError(error);
      return;
    }
    if (this.switching) return;
    this.polling = true;
    this.switching = (async () => {
      await watcher.close();
      if (this.closed) return;
      this.watcher = this.create(true);
      await this.ready(this.watcher);
      this.options.onFallback(watchLimitMessage(this.dir, code));
    })().finally(() => {
      this.switching = undefined;
    });
  }
}
