// Database source: polls a table or query in pages into the outbox, detects deletes, retries with backoff.
import type { ChangeBatch } from '../../core/change.js';
import type { Source, SourceContext, SourceHealth } from '../../core/source.js';
import type { CaptureIdentity } from './change-keys.js';
import { describeDatabaseError, type ConnectClient, type DatabaseClient } from './database-client.js';
import { DeleteLogReader, deleteLogKey } from './delete-log-reader.js';
import { captureGuarantee, captureMode, type GuaranteeFacts } from './guarantee.js';
import { Reconciler } from './reconciler.js';
import { RowMapper } from './row-mapper.js';
import { cursorKey, RowPoller } from './row-poller.js';
import { SqlBuilder, type CaptureSpec } from './sql-builder.js';
import { Watermark } from './watermark.js';

export interface DatabaseSourceOptions extends GuaranteeFacts {
  type: 'sqlite' | 'postgres' | 'mysql' | 'odbc';
  identity: CaptureIdentity;
  /** Table name or "query": prefix of ordering keys, origin.table. */
  label: string;
  /** "PostgreSQL at db:5432/erp": names the database in status messages. */
  where: string;
  connect: ConnectClient;
  /** Without a dialect (ODBC), the connected client's syntax gives it. */
  spec: Omit<CaptureSpec, 'dialect'> & { dialect?: CaptureSpec['dialect'] | undefined };
  businessKey?: string | undefined;
  batchSize: number;
  queryTimeoutMs: number;
  deletes: GuaranteeFacts['deletes'] & { chunkSize: number };
  retry: { baseMs: number; capMs: number };
}

interface CaptureParts {
  poller: RowPoller;
  watermark: Watermark | undefined;
  reconciler: Reconciler | undefined;
  deleteLog: DeleteLogReader | undefined;
}

const targetKey = 'target';
/** Reconciliation lookups per loop turn, so a long pass does not hold back new rows. */
const lookupsPerTurn = 20;

/** The outbox refused a write (disk full, …): named as such in status, not blamed on the database. */
class OutboxWriteError extends Error {}

function outboxWriteError(error: unknown): OutboxWriteError {
  return new OutboxWriteError(`the outbox could not store the rows: ${(error as Error).message}`, {
    cause: error,
  });
}

function storing<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw outboxWriteError(error);
  }
}

/** A wait that wake() ends early (resume, stop). */
class Sleeper {
  private wakeUp: (() => void) | undefined;
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
  wake(): void {
    this.wakeUp?.();
  }
}

export class DatabaseSource implements Source {
  readonly type: string;
  private parts: CaptureParts | undefined;
  private readonly state: SourceHealth;
  private readonly sleeper = new Sleeper();
  private context: SourceContext | undefined;
  private client: DatabaseClient | undefined;
  private loop: Promise<void> | undefined;
  private pausedReason: string | undefined;
  private stopped = false;
  private restored = false;
  private failures = 0;
  /** The degraded detail of the last failure, shown again when a pause ends before the next attempt. */
  private failureDetail: string | undefined;
  /** When the last poll that read everything up to its start began: the lag once capture has caught up. */
  private caughtUpAt: number;
  private catchingUp = true;

  constructor(private readonly options: DatabaseSourceOptions) {
    this.type = options.type;
    const { dialect } = options.spec;
    if (dialect !== undefined) this.parts = this.build({ ...options.spec, dialect });
    this.caughtUpAt = Date.now();
    this.state = { state: 'starting', guarantee: captureGuarantee(options), mode: captureMode(options) };
  }

  private buildFor(client: DatabaseClient): CaptureParts {
    const { syntax } = client;
    if (!syntax) throw new Error('the database client did not say which SQL dialect it speaks');
    return this.build({ ...this.options.spec, ...syntax });
  }

  /** The SQL side of capture; for a source whose dialect is found once connected (ODBC), built then. */
  private build(spec: CaptureSpec): CaptureParts {
    const { options } = this;
    const builder = new SqlBuilder(spec);
    const { identity, label } = options;
    const watermark = spec.watermark
      ? new Watermark(spec.watermark, spec.dialect, {
          overlapMs: options.overlapMs,
          overlapValues: options.overlapValues,
        })
      : undefined;
    const keyed = { identity, label, primaryKey: spec.primaryKey };
    const reconciler =
      options.deletes.mode === 'reconcile'
        ? new Reconciler({
            ...keyed,
            builder,
            chunkSize: options.deletes.chunkSize,
            intervalMs: options.deletes.reconcileIntervalMs,
          })
        : undefined;
    const deleteLog =
      options.deletes.mode === 'trigger'
        ? new DeleteLogReader({
            ...keyed,
            builder,
            batchSize: options.batchSize,
            overlapIds: options.overlapValues,
          })
        : undefined;
    const poller = new RowPoller({
      builder,
      mapper: new RowMapper({
        ...keyed,
        orderColumns: builder.orderColumns,
        watermark: spec.watermark?.column,
        businessKey: options.businessKey,
      }),
      watermark,
      batchSize: options.batchSize,
      quietAfterMs: 2 * options.overlapMs,
      hook: reconciler,
    });
    return { poller, watermark, reconciler, deleteLog };
  }

  start(context: SourceContext): Promise<void> {
    this.context = context;
    this.loop = this.run();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.wake();
    // A query in flight gets a moment to finish; then closing the session ends it (no waiting for its timeout).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
    const open = this.client;
    await open?.close();
    await this.loop;
    if (this.client !== open) await this.client?.close(); // connected while stopping
    this.client = undefined;
    this.report({ state: 'stopped', detail: undefined });
  }

  pause(reason: string): void {
    this.pausedReason = reason;
    this.report({ state: 'paused', detail: reason });
  }

  resume(): void {
    this.pausedReason = undefined;
    this.report(
      this.failures > 0
        ? { state: 'degraded', detail: this.failureDetail }
        : { state: 'running', detail: undefined },
    );
    this.sleeper.wake();
  }

  health(): SourceHealth {
    const now = Date.now();
    const newest = this.parts?.poller.newestWatermark();
    const behind =
      this.catchingUp && newest !== undefined ? this.parts?.watermark?.ageMs(newest, now) : undefined;
    return { ...this.state, lagMs: behind ?? Math.max(0, now - this.caughtUpAt) };
  }

  /** Loads the stored position; a changed table, query, key or watermark starts capture over. */
  private restore(context: SourceContext, parts: CaptureParts): void {
    const { spec, identity } = this.options;
    const target = JSON.stringify({
      target: identity.target,
      primaryKey: spec.primaryKey,
      watermark: spec.watermark ?? null,
      deletes: this.options.deletes.mode,
    });
    const stored = context.checkpoint(targetKey);
    if (stored !== undefined && stored !== target) {
      context.logger.warn(
        'the table, query, key or watermark changed since the last run: capture starts over',
      );
      const reset = [...context.checkpoints().keys()].map((key) => ({ key, value: null }));
      storing(() =>
        context.emit({ changes: [], checkpoints: [...reset, { key: targetKey, value: target }] }),
      );
    } else if (stored === undefined) {
      storing(() => context.emit({ changes: [], checkpoints: [{ key: targetKey, value: target }] }));
    }
    parts.poller.load(context.checkpoint(cursorKey));
    parts.reconciler?.load((key) => context.checkpoint(key));
    parts.deleteLog?.load(context.checkpoint(deleteLogKey));
  }

  private report(patch: Partial<SourceHealth>): void {
    Object.assign(this.state, patch);
    this.context?.reportHealth(this.health());
  }

  private interrupted = () => this.stopped || this.pausedReason !== undefined;

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.pausedReason !== undefined) {
        await this.sleeper.sleep(60_000);
        continue;
      }
      let wait: number;
      try {
        wait = await this.turn();
        if (this.failures > 0 || this.state.state === 'starting') {
          if (this.failures > 0)
            this.context?.logger.info({ where: this.options.where }, 'database capture recovered');
          this.failures = 0;
          if (!this.interrupted()) this.report({ state: 'running', detail: undefined });
        }
      } catch (error) {
        if (this.stopped) break;
        wait = this.failed(error);
      }
      if (!this.stopped) await this.sleeper.sleep(wait);
    }
  }

  /** One poll (plus delete detection); returns how long to wait before the next. */
  private async turn(): Promise<number> {
    const context = this.context;
    if (!context) return this.options.pollIntervalMs;
    const client = (this.client ??= await this.options.connect({
      queryTimeoutMs: this.options.queryTimeoutMs,
      readOnly: true,
    }));
    const parts = (this.parts ??= this.buildFor(client));
    if (!this.restored) {
      this.restore(context, parts);
      this.restored = true;
    }
    const { poller, deleteLog, reconciler } = parts;
    // A page is shaped first (the mapping and contract evaluate asynchronously), then its changes, rejected ones
    // included, are stored with the page's checkpoint in one transaction: a crash before that commit re-reads the
    // page from the old checkpoint, yielding the same keys.
    const emit = async (batch: ChangeBatch) => {
      const result = await context.emitShaped(batch).catch((error: unknown) => {
        throw outboxWriteError(error);
      });
      if (result.inserted > 0) this.state.lastCaptureAt = Date.now();
      return result;
    };
    const io = {
      client,
      emit,
      interrupted: this.interrupted,
      checkpoint: (key: string) => context.checkpoint(key),
    };
    const startedAt = Date.now();
    const polled = await poller.poll(io);
    this.catchingUp = !polled.caughtUp;
    if (!polled.caughtUp) return 0;
    if (deleteLog) await deleteLog.read(io);
    this.caughtUpAt = startedAt;
    if (reconciler?.due(startedAt)) {
      const deletes = await reconciler.step(io, startedAt, lookupsPerTurn);
      if (deletes > 0) context.logger.info({ deletes }, 'reconciliation found deleted rows');
      if (reconciler.inProgress()) return 0;
    }
    return this.options.pollIntervalMs;
  }

  /** Drops the session, reports the database's own message, and picks the backoff delay. */
  private failed(error: unknown): number {
    this.failures += 1;
    const client = this.client;
    this.client = undefined;
    void client?.close();
    const { baseMs, capMs } = this.options.retry;
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(this.failures - 1, 30));
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    const message = error instanceof OutboxWriteError ? error.message : describeDatabaseError(error);
    this.context?.logger.warn(
      { where: this.options.where, failures: this.failures, retryInMs: delay, error: message },
      'database capture failed; will retry',
    );
    const where = error instanceof OutboxWriteError ? '' : `${this.options.where}: `;
    this.failureDetail = `${where}${message} (attempt ${this.failures}, retrying in ${Math.ceil(delay / 1000)} s)`;
    if (!this.interrupted()) this.report({ state: 'degraded', detail: this.failureDetail });
    return delay;
  }
}
