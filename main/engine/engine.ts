// Composition root: config → outbox → sources and dispatchers; backpressure, retention and status events.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ChangeBatch, EnqueueResult } from '../../connectors/core/change.js';
import type { SourceContext } from '../../connectors/core/source.js';
import type { AgentStatus, Notice } from '../../preload/contract/status.js';
import type { AgentConfig, ConnectionConfig } from '../config/schema.js';
import {
  diskFloorFor,
  evaluateBackpressure,
  freeDiskBytes,
  type BackpressureState,
} from '../outbox/backpressure.js';
import { setLogLevel } from '../observability/logger.js';
import type { DataKeys } from '../outbox/data-keys.js';
import { lastCaptures } from '../observability/outbox-activity.js';
import { limitHeapGrowth } from '../observability/heap-growth.js';
import { trimMemoryWhenIdle } from '../observability/idle-memory-trim.js';
import { Outbox } from '../outbox/outbox.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ContractCheck } from '../shaping/contract-check.js';
import { ConnectionShaping } from './connection-shaping.js';
import { declaredApiVersion, stampApiVersion } from '../shaping/api-version-stamp.js';
import { writeFileAtomically } from '../shared/atomic-write.js';
import { outboxFile, statusFile } from '../shared/data-dir.js';
import { ConnectionSet } from './connection-control.js';
import { loadConnectionSecrets } from './connection-secrets.js';
import { ActivityHub, type ActivityListener } from './engine-activity.js';
import { PausedConnections } from './paused-connections.js';
import { enableOutboxEncryption } from './outbox-encryption.js';
import { buildSnapshot } from './status-snapshot.js';
import { OutboxForecaster } from './outbox-forecast.js';
import { quarantineNotices, watchOutboxIntegrity } from './integrity-notices.js';

export interface EngineOptions {
  config: AgentConfig;
  dataDir: string;
  logger: Logger;
  version: string;
  /** The config file the config came from: named in hints such as the `secrets set` command. */
  configFile?: string;
  /** The secret store to use instead of the one the config chooses (tests). */
  secretStore?: SecretStore;
  /** Extra notices to show in status from the start (e.g. "running the sandbox"). */
  notices?: Notice[];
  /** Notices about the sandbox: dropped once a real config replaces it (the first saved connection). */
  sandboxNotices?: Notice[];
  /**
   * Delivery waits for startDelivery(): a host that has more to start (the web console) gets the event loop to itself
   * first, instead of sharing it with the drain of a backlog. Capture starts as usual.
   */
  holdDelivery?: boolean;
}

const day = 24 * 60 * 60 * 1000;
const backpressureIntervalMs = 1000;
const retentionIntervalMs = 60 * 60 * 1000;
const statusIntervalMs = 2000;
/** An unchanged status is still written this often: `status` calls a snapshot older than 15 s stale. */
const statusHeartbeatMs = 10_000;

export class Engine {
  readonly connections: ConnectionSet;
  private readonly activity: ActivityHub;
  private config: AgentConfig;
  /** Data keys of the outbox encryption at rest, when outbox.encryption.enabled. */
  dataKeys: DataKeys | undefined;
  private readonly listeners = new Set<(status: AgentStatus) => void>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly notices: Notice[];
  private backpressure: BackpressureState = { paused: false };
  /** Refreshed by the backpressure timer: statfs is too costly to call after every enqueue. */
  private freeDisk = Number.POSITIVE_INFINITY;
  /** The free-disk floor in effect: the configured one, or the default scaled to the data disk. */
  private diskFloor = 0;
  private readonly forecaster: OutboxForecaster;
  private state: AgentStatus['state'] = 'running';
  private statusQueued = false;
  /** status.json writes run one after another, so an older status never lands over a newer one. */
  private statusWritten: Promise<void> = Promise.resolve();
  /** The last published status without its time, and when: an idle agent does not rewrite the same file every 2 s. */
  private lastPublished = { content: '', at: 0 };
  private readonly startedAt = Date.now();
  /** Contracts, shapers and filter counts of the running connections. */
  private readonly shaping: ConnectionShaping;
  /** When each connection last captured a record: from the outbox at start, then as captures happen. */
  private readonly lastCaptured: Map<string, number>;

  private constructor(
    private readonly options: EngineOptions,
    readonly outbox: Outbox,
  ) {
    this.notices = [...(options.notices ?? []), ...(options.sandboxNotices ?? [])];
    this.shaping = new ConnectionShaping(outbox, () => this.queueStatus());
    this.config = options.config;
    this.lastCaptured = lastCaptures(
      outbox.db,
      options.config.connections.map((c) => c.id),
    );
    this.activity = new ActivityHub((error) =>
      options.logger.error({ err: error }, 'an engine activity listener failed'),
    );
    this.connections = new ConnectionSet({
      outbox,
      logger: options.logger,
      activity: this.activity,
      paused: new PausedConnections(options.dataDir),
      onChange: () => this.queueStatus(),
      sourceContext: (connection, logger) => this.sourceContext(connection, logger),
      backpressureReason: () => (this.backpressure.paused ? this.backpressure.reason : undefined),
      ...(options.holdDelivery ? { holdDelivery: true } : {}),
    });
    this.forecaster = new OutboxForecaster(outbox);
    const { warning } = diskFloorFor(options.dataDir, options.config.outbox.minFreeDiskBytes);
    if (warning) this.notices.push({ level: 'error', at: Date.now(), message: warning });
    this.notices.push(...quarantineNotices(outbox));
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const { config, dataDir } = options;
    const outbox = Outbox.open(outboxFile(dataDir), {
      synchronous: config.outbox.synchronous,
      busyTimeoutMs: config.outbox.busyTimeoutMs,
      ...(config.outbox.maxDatabaseBytes ? { maxDatabaseBytes: config.outbox.maxDatabaseBytes } : {}),
    });
    outbox.useSiteId(config.agent?.siteId);
    const engine = new Engine(options, outbox);
    watchOutboxIntegrity(outbox, engine, options.logger);
    engine.dataKeys = await enableOutboxEncryption(config, outbox, dataDir, options.secretStore);
    await engine.startConnections();
    engine.every(backpressureIntervalMs, () => engine.checkBackpressure(true));
    engine.every(retentionIntervalMs, () => engine.applyRetention());
    engine.every(statusIntervalMs, () => {
      engine.outbox.syncExternalWrites(); // e.g. `integration-agent dlq replay` from another process
      engine.publishStatus({ unlessUnchanged: true });
    });
    limitHeapGrowth();
    engine.timers.push(trimMemoryWhenIdle((listener) => engine.onActivity(listener)));
    engine.checkBackpressure(true);
    engine.applyRetention();
    engine.publishStatus();
    await engine.statusWritten;
    return engine;
  }

  /** Starts the delivery held back by `holdDelivery` (a no-op otherwise, or when it runs already). */
  startDelivery(): void {
    if (this.state === 'running') this.connections.startDelivery();
  }

  /** A notice shown in status from now on (e.g. the console had to take another port). */
  addNotice(notice: Notice): void {
    this.notices.push(notice);
    this.queueStatus();
  }

  /** Takes back a notice given to addNotice (e.g. a refused config file, once a valid one is applied). */
  removeNotice(notice: Notice): void {
    const at = this.notices.indexOf(notice);
    if (at < 0) return;
    this.notices.splice(at, 1);
    this.queueStatus();
  }

  status(): AgentStatus {
    const now = Date.now();
    return buildSnapshot({
      version: this.options.version,
      sandbox: this.config.sandbox,
      dataDir: this.options.dataDir,
      startedAt: this.startedAt,
      state: this.state,
      notices: this.notices,
      capturePausedReason: this.backpressure.reason,
      connections: this.connections.list(),
      paused: (id) => this.connections.isPaused(id),
      mapping: (id) => this.shaping.facts(id),
      lastCapture: (id) => this.lastCaptured.get(id),
      outbox: this.outbox,
      now,
      forecast: this.forecaster.forecast(now, this.config.outbox),
    });
  }

  onStatus(listener: (status: AgentStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Captured, settled and dead-lettered records, as they happen (metrics, throughput charts, alerts). */
  onActivity(listener: ActivityListener): () => void {
    return this.activity.on(listener);
  }

  /** The config the engine runs now, including changes made at runtime. */
  currentConfig(): AgentConfig {
    return this.config;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  /**
   * Adopts a new config: agent-wide settings apply at once, and only the connections whose config changed are
   * rebuilt (added, replaced or stopped); the others keep running undisturbed.
   */
  async applyConfig(next: AgentConfig): Promise<void> {
    const before = new Map(this.config.connections.map((c) => [c.id, JSON.stringify(c)]));
    const after = new Set(next.connections.map((c) => c.id));
    const previous = this.config;
    this.config = next;
    this.outbox.useSiteId(next.agent?.siteId);
    if (previous.sandbox && !next.sandbox) this.sandboxReplaced();
    // Only a changed setting moves the level: a --log-level override stays until the setting itself changes.
    if (previous.logging.level !== next.logging.level) setLogLevel(this.options.logger, next.logging.level);
    for (const id of before.keys()) if (!after.has(id)) await this.connections.stop(id, 10_000);
    const changed = next.connections.filter((c) => before.get(c.id) !== JSON.stringify(c));
    for (const connection of changed) await this.startConnection(connection);
    this.checkBackpressure(false);
    this.queueStatus();
  }

  /** The first saved connection replaced the sandbox: its notices go, one line says what happened. */
  private sandboxReplaced(): void {
    for (const notice of this.options.sandboxNotices ?? []) {
      const at = this.notices.indexOf(notice);
      if (at >= 0) this.notices.splice(at, 1);
    }
    const file = this.options.configFile ?? join(this.options.dataDir, 'config.yaml');
    this.notices.push({
      level: 'info',
      at: Date.now(),
      message: `The sandbox was replaced by the config in ${file}; the records it captured stay in the history until retention removes them`,
    });
  }

  /** Rebuilds these connections from the running config, e.g. after a secret they reference was stored. */
  async restartConnections(ids: readonly string[]): Promise<void> {
    for (const connection of this.config.connections)
      if (ids.includes(connection.id)) await this.startConnection(connection);
    this.queueStatus();
  }

  /** The compiled contract check of a running connection, if it names one (the mapping editor's preview uses it). */
  contractCheck(connection: string): ContractCheck | undefined {
    return this.shaping.contractCheck(connection);
  }

  private async startConnection(connection: ConnectionConfig): Promise<void> {
    await this.dataKeys?.ensure(connection.id); // a connection added at runtime gets its data key first
    const secrets = await this.loadSecrets({ ...this.config, connections: [connection] });
    await this.connections.start(
      connection,
      await this.shaping.checked(connection, secrets.get(connection.id)),
    );
  }

  private loadSecrets(config: AgentConfig) {
    const { logger, dataDir } = this.options;
    return loadConnectionSecrets(config, logger, {
      dataDir,
      ...(this.options.configFile ? { configFile: this.options.configFile } : {}),
      ...(this.options.secretStore ? { store: this.options.secretStore } : {}),
    });
  }

  /** Graceful stop: capture first, then in-flight sends (finished or released), then the database. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    for (const timer of this.timers) clearInterval(timer);
    await this.connections.stopAll(graceMs);
    this.state = 'stopped';
    this.publishStatus();
    this.outbox.close();
    await this.statusWritten;
  }

  private async startConnections(): Promise<void> {
    const secrets = await this.loadSecrets(this.config);
    for (const connection of this.config.connections)
      await this.connections.start(
        connection,
        await this.shaping.checked(connection, secrets.get(connection.id)),
      );
  }

  private sourceContext(connection: string, logger: Logger): SourceContext {
    const config = this.config.connections.find((c) => c.id === connection);
    const apiVersion = config && declaredApiVersion(config.destination);
    const emit = (captured: ChangeBatch): EnqueueResult => {
      const batch = apiVersion ? stampApiVersion(captured, apiVersion) : captured;
      const result = this.outbox.enqueue(connection, batch);
      this.checkBackpressure(false); // pause at the cap itself, not up to a timer tick later
      if (batch.changes.length > 0) this.lastCaptured.set(connection, Date.now());
      if (batch.changes.length > 0)
        this.activity.emit({
          kind: 'captured',
          connection,
          records: batch.changes.length,
          enqueued: result.inserted,
        });
      return result;
    };
    const shaper = this.shaping.shaperFor(config, connection, logger);
    return {
      emit,
      // Shaped before enqueue, so the outbox holds exactly the bytes that are sent.
      emitShaped: async (batch) => emit(shaper ? await shaper.shape(batch) : batch),
      shapes: shaper !== undefined,
      checkpoint: (key) => this.outbox.checkpoint(connection, key),
      checkpoints: () => this.outbox.checkpoints(connection),
      logger,
      reportHealth: () => this.queueStatus(),
      deliveryStates: (keys) => this.outbox.deliveryStates(connection, keys),
    };
  }

  private every(ms: number, task: () => void): void {
    const timer = setInterval(() => {
      try {
        task();
      } catch (error) {
        this.options.logger.error({ err: error }, 'periodic engine task failed');
      }
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private checkBackpressure(measureDisk: boolean): void {
    if (measureDisk) {
      this.freeDisk = freeDiskBytes(this.options.dataDir);
      this.diskFloor = diskFloorFor(this.options.dataDir, this.config.outbox.minFreeDiskBytes).floor;
      this.forecaster.sample(Date.now(), this.freeDisk, this.diskFloor);
    }
    const limits = { ...this.config.outbox, minFreeDiskBytes: this.diskFloor };
    const next = evaluateBackpressure(
      this.outbox.counters.totals(),
      this.freeDisk,
      limits,
      this.backpressure,
    );
    if (next.paused === this.backpressure.paused && next.reason === this.backpressure.reason) return;
    this.backpressure = next;
    this.connections.applyBackpressure(next.paused ? next.reason : undefined);
    if (next.paused) this.options.logger.warn({ reason: next.reason }, 'capture paused (backpressure)');
    else this.options.logger.info('capture resumed');
    this.queueStatus();
  }

  private applyRetention(): void {
    const { retention } = this.config.outbox;
    const result = this.outbox.applyRetention({
      compactAfterMs: retention.compactAfterDays * day,
      removeAfterMs: retention.removeAfterDays * day,
      chunk: 1000,
    });
    if (result.compacted + result.removed > 0) this.options.logger.info(result, 'outbox retention applied');
  }

  private queueStatus(): void {
    if (this.statusQueued) return;
    this.statusQueued = true;
    setTimeout(() => {
      this.statusQueued = false;
      if (this.state !== 'stopped') this.publishStatus();
    }, 250).unref();
  }

  /** Writes status.json and tells the listeners; periodic calls skip a status that only aged (see statusHeartbeatMs). */
  private publishStatus(options: { unlessUnchanged?: boolean } = {}): void {
    const status = this.status();
    const { updatedAt, ...rest } = status;
    const content = JSON.stringify(rest);
    const { lastPublished } = this;
    if (
      options.unlessUnchanged &&
      content === lastPublished.content &&
      updatedAt - lastPublished.at < statusHeartbeatMs
    )
      return;
    this.lastPublished = { content, at: updatedAt };
    const file = statusFile(this.options.dataDir);
    const text = JSON.stringify(status, null, 2);
    this.statusWritten = this.statusWritten
      .then(() => writeFileAtomically(file, text))
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'could not write status.json'));
    for (const listener of this.listeners) listener(status);
  }
}
