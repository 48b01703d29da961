// Folder source: watches folders, waits until each file is finished, captures every file version once (whole file or records).
import { basename, resolve } from 'node:path';
import type { DeliveredRecord, Source, SourceContext, SourceHealth } from '../../core/source.js';
import { AfterDelivery, deliveredButNotHandled, versionOf, type FileVersionRef } from './after-delivery.js';
import type { FolderSourceConfig } from './config.js';
import { archiveRootFor, isClaimName } from './file-actions.js';
import type { ReadFile } from './capture-host.js';
import { describeReadError, FileCapture } from './file-capture.js';
import { FileFilter } from './file-filter.js';
import { FileProblems, type FileProblem } from './file-problems.js';
import { observe, readWholeFile } from './file-reader.js';
import { finishRule, type FinishRule } from './finish-rule.js';
import { FolderLayout, type FolderRoot } from './folder-layout.js';
import { defaultWatcher, FolderWatcher, type WatcherFactory } from './folder-watcher.js';
import { RetryTimers } from './retry-timers.js';
import { folderGuarantee, folderMode, folderState, unavailableMessage } from './health-text.js';
import { rescan, type RescanResult } from './rescan.js';
import { StabilityTracker } from './stability-tracker.js';
import { WatcherNotes } from './watcher-notes.js';
import { OwnRemovals } from './own-removals.js';
import { WorkQueue } from './work-queue.js';
import { backlogLagMs, waitingFiles, type QueuedCapture } from './backlog.js';

/** Seams for tests: the file reader (to make a file vanish mid-read) and the watcher (to fail like a full inotify). */
export interface FolderIo {
  readFile?: ReadFile;
  watcherFactory?: WatcherFactory;
  /** How often a polling watcher looks at each file (default 1 s). */
  watcherPollMs?: number;
}

export type FolderSourceOptions = Omit<FolderSourceConfig, 'type'> & { io?: FolderIo };

type Work =
  | { kind: 'settle'; path: string; since: number }
  | { kind: 'action'; version: FileVersionRef }
  | { kind: 'claim'; path: string };

const outboxRetryMs = 2000;

export class FolderSource implements Source {
  readonly type = 'folder';
  private readonly layout: FolderLayout;
  private readonly filter: FileFilter;
  private readonly rule: FinishRule;
  private readonly tracker: StabilityTracker;
  private readonly problems = new FileProblems();
  private readonly capture: FileCapture;
  private readonly actions: AfterDelivery;
  private readonly watchers = new Map<string, FolderWatcher>();
  /** Folder → why it cannot be watched: shown in status, tried again at every rescan. */
  private readonly unavailable = new Map<string, string>();
  private readonly watcherNotes = new WatcherNotes({
    logger: () => this.ctx().logger,
    changed: () => this.changed(),
    rescan: () => void this.rescanNow(),
  });
  private readonly queue: WorkQueue<Work>;
  private readonly ownRemovals = new OwnRemovals();
  private readonly retries: RetryTimers;
  private context: SourceContext | undefined;
  private rescanning: Promise<void> | undefined;
  private outboxError: string | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private pausedReason: string | undefined;
  private stopped = false;
  private lifecycle: 'starting' | 'running' | 'stopped' = 'starting';
  private lastCaptureAt: number | undefined;
  private whenListed: ((files: number) => void) | undefined;
  /** Files found at start still to be looked at (the catch-up after start). */
  private catchingUp = 0;

  constructor(private readonly options: FolderSourceOptions) {
    this.retries = new RetryTimers(outboxRetryMs, options.rescanIntervalMs);
    this.queue = new WorkQueue<Work>({
      run: (work) => this.run(work),
      groupOf: (work) =>
        work.kind === 'action' || (work.kind === 'settle' && this.capture.groupable) ? work.kind : undefined,
      runGroup: (works) => this.runGroup(works),
      canRun: () => !this.stopped && !this.pausedReason && this.context !== undefined,
      onOutboxState: (error, work) => this.outboxState(error, work),
      retryMs: outboxRetryMs,
    });
    this.layout = new FolderLayout(options.path, options.paths);
    const archiveDirs =
      options.afterDelivery === 'archive' && options.archiveDir
        ? this.layout.roots.map((r) => resolve(archiveRootFor(r.dir, options.archiveDir as string)))
        : [];
    this.filter = new FileFilter(options, archiveDirs);
    this.rule = finishRule(options, observe);
    this.tracker = new StabilityTracker({
      quietPeriodMs: options.quietPeriodMs,
      pollMs: options.finishedWhen === 'quiet' ? Math.min(500, Math.max(25, options.quietPeriodMs / 4)) : 500,
      rule: this.rule,
      observe,
      onSettled: (path, _seen, since) => this.enqueue({ kind: 'settle', path, since }),
      onError: (path, error) => this.readProblem(path, error),
    });
    const log = () => this.ctx().logger;
    this.capture = new FileCapture(options, {
      emit: (batch) => this.ctx().emit(batch),
      emitShaped: (batch) => this.ctx().emitShaped(batch),
      shapes: () => this.ctx().shapes === true,
      checkpoint: (key) => this.ctx().checkpoint(key),
      get logger() {
        return log();
      },
      readFile: options.io?.readFile ?? readWholeFile,
      rewatch: (path) => this.tracker.watch(path),
      problem: (path, problem) => this.fileProblem(path, problem),
      resolved: (path, gone) => this.resolved(path, gone),
      queueAction: (identity, hash, generation) =>
        this.enqueue({ kind: 'action', version: { identity, hash, generation } }),
      captured: (at) => {
        this.lastCaptureAt = at;
      },
      interrupted: () => this.stopped || this.pausedReason !== undefined,
    });
    this.actions = new AfterDelivery(options, {
      emit: (batch) => this.ctx().emit(batch),
      checkpoint: (key) => this.ctx().checkpoint(key),
      get logger() {
        return log();
      },
      layout: this.layout,
      companionOf: (path) => this.rule.companionOf(path),
      problem: (path, problem) => this.noteProblem(path, problem),
      resolved: (path) => this.resolved(path),
      removing: (path) => this.ownRemovals.add(path),
      retry: (version) => {
        const path = this.layout.resolveIdentity(version.identity)?.abs;
        const failures = (path && this.problems.get(path)?.failures) || 1;
        this.retries.later(
          `action:${version.identity}`,
          () => this.enqueue({ kind: 'action', version }),
          failures,
        );
      },
    });
  }

  /** Resolves once every folder is listed and watched; the catch-up of the files found goes on after (see status). */
  async start(context: SourceContext): Promise<void> {
    this.context = context;
    const listed = new Promise<void>((resolve) => {
      this.whenListed = (files) => {
        this.catchingUp = files;
        resolve();
      };
    });
    const catchUp = this.rescanNow().finally(() => {
      this.catchingUp = 0;
      this.changed();
    });
    await Promise.race([listed, catchUp]);
    this.whenListed = undefined;
    this.rescanTimer = setInterval(() => void this.rescanNow(), this.options.rescanIntervalMs);
    this.lifecycle = 'running';
    this.changed();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.rescanTimer);
    this.retries.stop();
    await this.rescanning;
    await Promise.all([...this.watchers.values()].map((w) => w.close()));
    await this.tracker.stop();
    await this.queue.settle();
    this.lifecycle = 'stopped';
    this.changed();
  }

  pause(reason: string): void {
    this.pausedReason = reason;
    this.changed();
  }

  resume(): void {
    this.pausedReason = undefined;
    this.changed();
    this.queue.drain();
  }

  /**
   * After-delivery hook: the engine calls this with records of this connection the outbox settled as delivered
   * (after the server's answer). Each delivered file version is archived or deleted, per `afterDelivery`.
   */
  delivered(records: readonly DeliveredRecord[]): void {
    if (!this.actions.active || this.stopped) return;
    for (const record of records) {
      const version = versionOf(record);
      if (version) this.enqueue({ kind: 'action', version });
    }
  }

  /** Runs a full rescan now (also what the timer runs); resolves when it is done. */
  rescanNow(): Promise<void> {
    this.rescanning ??= this.rescanOnce().finally(() => {
      this.rescanning = undefined;
    });
    return this.rescanning;
  }

  health(): SourceHealth {
    const notes = [
      ...(this.outboxError ? [this.outboxError] : []),
      ...this.unavailable.values(),
      ...this.watcherNotes.values(),
      ...(this.problems.summary() ? [this.problems.summary() as string] : []),
    ];
    const { state, detail } = folderState({
      lifecycle: this.lifecycle,
      allFoldersFailed: this.unavailable.size === this.layout.roots.length,
      pausedReason: this.pausedReason,
      catchingUp: this.catchingUp,
      notes,
    });
    return {
      state,
      ...(detail ? { detail } : {}),
      mode: folderMode(this.options, this.rule),
      guarantee: folderGuarantee(this.options, this.layout, this.rule),
      lagMs: backlogLagMs(this.tracker, this.queuedCaptures(), this.problems),
      ...waitingFiles(this.tracker, this.queuedCaptures()),
      ...(this.lastCaptureAt !== undefined ? { lastCaptureAt: this.lastCaptureAt } : {}),
    };
  }

  /** Files that could not be captured, by path (also summarised in the health detail). */
  fileProblems(): FileProblem[] {
    return this.problems.paths().flatMap((p) => this.problems.get(p) ?? []);
  }

  /** Settled files waiting in the queue for capture. */
  private *queuedCaptures(): Generator<QueuedCapture> {
    for (const work of this.queue.values()) if (work.kind === 'settle') yield work;
  }

  private ctx(): SourceContext {
    if (!this.context) throw new Error('folder source used before start()');
    return this.context;
  }

  private changed(): void {
    this.context?.reportHealth(this.health());
  }

  private async rescanOnce(): Promise<void> {
    if (this.stopped) return;
    let result: RescanResult;
    try {
      result = await rescan({
        layout: this.layout,
        filter: this.filter,
        problems: this.problems,
        emitDeletes: this.options.emitDeletes,
        checkpoints: () => this.ctx().checkpoints(),
        isWaiting: (path) => this.tracker.has(path),
        watch: (path) => this.tracker.watch(path),
        recoverClaim: (path) => this.enqueue({ kind: 'claim', path }),
        rootAvailable: (root) => this.watchFolder(root),
        listed: (files) => this.whenListed?.(files),
        rootUnavailable: (root, error) => this.folderUnavailable(root, error),
        unreadableDir: (path, error) => this.readProblem(path, error),
      });
    } catch (error) {
      this.ctx().logger.error({ err: error }, 'folder rescan failed; trying again at the next one');
      return;
    }
    for (const path of this.problems.paths()) {
      const root = this.layout.locate(path)?.root;
      if (root && result.scannedRoots.has(root) && !result.present.has(path) && !this.tracker.has(path))
        this.resolved(path); // gone: nothing left to report about it
    }
    // Versions delivered while no hook call reached us (e.g. a crash between settle and action) are handled now.
    const context = this.context;
    if (this.actions.active && context)
      for (const version of deliveredButNotHandled(result.states, (keys) => context.deliveryStates(keys)))
        this.enqueue({ kind: 'action', version });
    this.changed();
  }

  private async watchFolder(root: FolderRoot): Promise<void> {
    this.unavailable.delete(root.dir);
    if (this.watchers.has(root.dir) || this.stopped) return;
    const watcher = await FolderWatcher.start(root.dir, {
      recursive: this.options.recursive,
      factory: this.options.io?.watcherFactory ?? defaultWatcher,
      pollIntervalMs: this.options.io?.watcherPollMs ?? 1000,
      ignored: (path, stats) => {
        const located = this.layout.locate(path);
        if (!located || located.rel === '') return false;
        if (stats?.isDirectory()) return this.filter.skipsDir(located.rel, path);
        if (stats?.isFile()) return this.filter.kind(located.rel) === 'ignored';
        return this.filter.surelyIgnored(located.rel, path);
      },
      notAFolder: (path) => isClaimName(basename(path)) || this.ownRemovals.has(path),
      onPath: (path) => this.pathEvent(path),
      ...this.watcherNotes.callbacks(root.dir),
    });
    if (this.stopped) {
      await watcher.close();
      return;
    }
    this.watchers.set(root.dir, watcher);
  }

  private folderUnavailable(root: FolderRoot, error: NodeJS.ErrnoException): void {
    const message = unavailableMessage(root.dir, error, this.options.rescanIntervalMs);
    if (this.unavailable.get(root.dir) !== message) this.ctx().logger.error({ folder: root.dir }, message);
    this.unavailable.set(root.dir, message);
  }

  private pathEvent(path: string): void {
    const located = this.layout.locate(path);
    if (!located || this.stopped) return;
    const kind = this.filter.kindWithin(located.root.dir, located.rel);
    if (kind === 'candidate') this.ownRemovals.route(path, (p) => !this.stopped && this.tracker.watch(p));
    else if (kind === 'marker' || kind === 'trigger') this.tracker.wake();
  }

  private enqueue(work: Work): void {
    const key =
      work.kind === 'action'
        ? `action:${work.version.identity}:${work.version.hash}`
        : `${work.kind}:${work.path}`;
    this.queue.add(key, work);
  }

  private outboxState(error: Error | undefined, work?: Work): void {
    const what = !work
      ? 'captured files'
      : work.kind === 'action'
        ? work.version.identity
        : basename(work.path);
    this.outboxError = error
      ? `cannot store ${what} in the outbox: ${error.message}; retrying every ${outboxRetryMs / 1000} s`
      : undefined;
    if (error) this.ctx().logger.error({ err: error }, 'the outbox did not take a captured file; retrying');
    this.changed();
  }

  private async run(work: Work): Promise<void | 'again'> {
    if (work.kind === 'action') return this.actions.apply(work.version);
    if (work.kind === 'claim') return this.actions.recoverClaim(work.path);
    const file = this.layout.locate(work.path);
    if (!file || this.filter.kindWithin(file.root.dir, file.rel) !== 'candidate') return;
    const outcome = await this.capture.settle(file);
    this.changed();
    return outcome;
  }

  /** Settled files (whole-file mode) or delivered versions, many at once: one outbox transaction for all. */
  private async runGroup(works: Work[]): Promise<void> {
    const versions = works.flatMap((w) => (w.kind === 'action' ? [w.version] : []));
    if (versions.length > 0) await this.actions.applyMany(versions);
    const files = works.flatMap((w) => {
      const file = w.kind === 'settle' ? this.layout.locate(w.path) : undefined;
      return file && this.filter.kindWithin(file.root.dir, file.rel) === 'candidate' ? [file] : [];
    });
    if (files.length > 0) {
      await this.capture.settleWholeFiles(files);
      this.changed();
    }
  }

  /** A problem of one file: shown in status; transient ones are retried with backoff, the rest when the file changes. */
  private fileProblem(path: string, problem: Omit<FileProblem, 'failures'>): void {
    const noted = this.noteProblem(path, problem);
    if (noted.transient)
      this.retries.later(
        `watch:${path}`,
        () => {
          if (this.problems.get(path)) this.tracker.watch(path);
        },
        noted.failures,
      );
  }

  private readProblem(path: string, error: unknown): void {
    this.fileProblem(path, { file: this.layout.locate(path)?.identity ?? path, ...describeReadError(error) });
  }

  private noteProblem(path: string, problem: Omit<FileProblem, 'failures'>): FileProblem {
    const previous = this.problems.get(path);
    const noted = this.problems.note(path, { ...problem, since: previous?.since ?? Date.now() });
    if (previous?.message !== noted.message)
      this.context?.logger.warn({ file: problem.file, problem: problem.message }, 'file not captured');
    this.changed();
    return noted;
  }

  private resolved(path: string, gone = false): void {
    this.retries.cancel(`watch:${path}`);
    if (gone && this.problems.get(path)?.keepWhenGone) return;
    if (this.problems.clear(path)) this.changed();
  }
}
