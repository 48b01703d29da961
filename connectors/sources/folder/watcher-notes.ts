// Per-folder watcher notes for health (polling fallback, restarting after a failure) and the callbacks that keep them.
import type { Logger } from 'pino';
import type { FolderWatcherOptions } from './folder-watcher.js';

type WatcherCallbacks = Pick<FolderWatcherOptions, 'onFallback' | 'onError' | 'onRestarted'>;

export interface WatcherNotesHooks {
  logger: () => Logger;
  /** Health changed. */
  changed: () => void;
  /** Look at the folders now: a watcher that failed or was replaced may have missed events. */
  rescan: () => void;
}

export class WatcherNotes {
  /** Folder → why it is watched by polling (the OS watch limit was hit). */
  private readonly polling = new Map<string, string>();
  /** Folder → its watcher failed and is being restarted (degraded until it watches again). */
  private readonly restarting = new Map<string, string>();

  constructor(private readonly hooks: WatcherNotesHooks) {}

  /** Every note, for the source's health detail. */
  values(): string[] {
    return [...this.polling.values(), ...this.restarting.values()];
  }

  /** The watcher callbacks of folder `dir`. */
  callbacks(dir: string): WatcherCallbacks {
    const { hooks } = this;
    return {
      onFallback: (message) => {
        this.polling.set(dir, message);
        this.restarting.delete(dir);
        hooks.logger().warn({ folder: dir }, message);
        hooks.changed();
        hooks.rescan();
      },
      onError: (error, restartMs) => {
        const code = (error as NodeJS.ErrnoException).code;
        const message =
          `the watcher of ${dir} failed (${code ?? error.message}): restarting it in ${restartMs / 1000} s; ` +
          'until then new files are found only by the periodic rescan';
        this.restarting.set(dir, message);
        hooks.logger().error({ err: error, folder: dir }, message);
        hooks.changed();
      },
      onRestarted: () => {
        this.restarting.delete(dir);
        hooks.logger().info({ folder: dir }, 'folder watcher restarted');
        hooks.changed();
        hooks.rescan();
      },
    };
  }
}
