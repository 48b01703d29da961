// Folder source: watches a folder with chokidar and captures each finished file version once, whole-file.
import { readFile, stat } from 'node:fs/promises';
import { basename, relative, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import picomatch from 'picomatch';
import type { Source, SourceContext, SourceHealth } from '../../core/source.js';
import {
  checkpointKey,
  contentHash,
  contentTypeFor,
  fileVersionKey,
  parseFileState,
  type FileState,
} from './file-version.js';

export interface FolderSourceOptions {
  path: string;
  include: string[];
  exclude: string[];
  recursive: boolean;
  /** A file counts as finished once its size and mtime stayed unchanged this long. */
  quietPeriodMs: number;
  maxFileBytes: number;
  contentType?: string;
}

const retryDelayMs = 2000;

export class FolderSource implements Source {
  readonly type = 'folder';
  private readonly root: string;
  private readonly included: (path: string) => boolean;
  private readonly excluded: (path: string) => boolean;
  private watcher: FSWatcher | undefined;
  private context: SourceContext | undefined;
  private readonly queue = new Set<string>();
  private draining: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private pausedReason: string | undefined;
  private stopped = false;
  private readonly state: SourceHealth;

  constructor(private readonly options: FolderSourceOptions) {
    this.root = resolve(options.path);
    this.included = picomatch(options.include, { dot: false });
    this.excluded = options.exclude.length > 0 ? picomatch(options.exclude) : () => false;
    this.state = {
      state: 'starting',
      guarantee:
        `every file in ${this.root} once per distinct content (SHA-256), after it stayed unchanged for ` +
        `${options.quietPeriodMs} ms; files added or changed while the agent was off are caught up at start`,
    };
  }

  async start(context: SourceContext): Promise<void> {
    this.context = context;
    const info = await stat(this.root).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error || !info.isDirectory()) {
      const why = info instanceof Error ? (info.code ?? info.message) : 'it is not a directory';
      this.report({
        state: 'failed',
        detail: `cannot watch ${this.root}: ${why}. Fix: create the folder or correct the path`,
      });
      return;
    }
    this.watcher = watch(this.root, {
      ignoreInitial: false,
      depth: this.options.recursive ? undefined : 0,
      awaitWriteFinish:
        this.options.quietPeriodMs > 0
          ? {
              stabilityThreshold: this.options.quietPeriodMs,
              pollInterval: Math.min(100, this.options.quietPeriodMs),
            }
          : false,
      ignored: (path, stats) => {
        const rel = this.relative(path);
        if (rel === '') return false;
        if (this.excluded(rel)) return true;
        return stats?.isFile() === true && !this.included(rel);
      },
    });
    this.watcher.on('add', (path) => this.schedule(path));
    this.watcher.on('change', (path) => this.schedule(path));
    this.watcher.on('error', (error) => {
      context.logger.error({ err: error }, 'folder watcher error');
      this.report({ state: 'degraded', detail: `watcher error: ${(error as Error).message}` });
    });
    await new Promise<void>((ready) => this.watcher?.once('ready', () => ready()));
    if (this.state.state === 'starting') this.report({ state: this.pausedReason ? 'paused' : 'running' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.watcher?.close();
    await this.draining;
    this.report({ state: 'stopped', detail: undefined });
  }

  pause(reason: string): void {
    this.pausedReason = reason;
    this.report({ state: 'paused', detail: reason });
  }

  resume(): void {
    this.pausedReason = undefined;
    this.report({ state: 'running', detail: undefined });
    this.drain();
  }

  health(): SourceHealth {
    return { ...this.state };
  }

  private relative(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }

  private report(patch: Partial<SourceHealth>): void {
    Object.assign(this.state, patch);
    this.context?.reportHealth(this.health());
  }

  private schedule(path: string): void {
    this.queue.add(path);
    this.drain();
  }

  private drain(): void {
    if (this.draining || this.stopped) return;
    this.draining = this.processQueue().finally(() => {
      this.draining = undefined;
    });
  }

  private async processQueue(): Promise<void> {
    for (const path of this.queue) {
      if (this.stopped || this.pausedReason) return;
      this.queue.delete(path); // a change arriving during capture re-adds it
      try {
        await this.capture(path);
        if (this.state.state === 'degraded') this.report({ state: 'running', detail: undefined });
      } catch (error) {
        this.queue.add(path);
        const message = error instanceof Error ? error.message : String(error);
        this.context?.logger.error(
          { file: this.relative(path), err: error },
          'capturing a file failed; will retry',
        );
        this.report({ state: 'degraded', detail: `cannot capture ${this.relative(path)}: ${message}` });
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.drain(), retryDelayMs);
        return;
      }
    }
  }

  private async capture(path: string): Promise<void> {
    const context = this.context;
    if (!context) return;
    const rel = this.relative(path);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? undefined : Promise.reject(error),
    );
    if (!info?.isFile()) return; // vanished before we got to it: nothing to capture
    if (info.size > this.options.maxFileBytes) {
      throw new Error(
        `file is ${info.size} bytes, over the ${this.options.maxFileBytes}-byte limit (maxFileBytes)`,
      );
    }
    const bytes = await readFile(path);
    const hash = contentHash(bytes);
    if (parseFileState(context.checkpoint(checkpointKey(rel)))?.hash === hash) return; // same bytes as already captured
    const state: FileState = { hash, size: bytes.length, mtimeMs: info.mtimeMs };
    const result = context.emit({
      changes: [
        {
          idempotencyKey: fileVersionKey(rel, hash),
          orderingKey: rel,
          businessKey: basename(rel),
          contentType: this.options.contentType ?? contentTypeFor(rel),
          payload: bytes,
          origin: { file: rel, size: bytes.length, sha256: hash },
        },
      ],
      checkpoints: [{ key: checkpointKey(rel), value: JSON.stringify(state) }],
    });
    this.state.lastCaptureAt = Date.now();
    context.logger.info({ file: rel, size: bytes.length, stored: result.inserted === 1 }, 'file captured');
  }
}
