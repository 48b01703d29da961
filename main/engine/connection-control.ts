// The engine's live connections: start, stop, replace one at a time, and admin pause/resume of source and dispatcher.
import type { Logger } from 'pino';
import type { SourceContext } from '../../connectors/core/source.js';
import type { ConnectionConfig } from '../config/schema.js';
import type { Outbox } from '../outbox/outbox.js';
import { buildConnection, type ConnectionRuntime } from './build-connection.js';
import type { SecretResolver } from '../../connectors/core/secret-ref.js';
import type { ActivityHub } from './engine-activity.js';
import { observeSettlements } from './observed-outbox.js';
import type { PausedConnections } from './paused-connections.js';

export const adminPauseReason = 'paused by an administrator; resume the connection to continue';

export interface ConnectionSetDeps {
  outbox: Outbox;
  logger: Logger;
  activity: ActivityHub;
  paused: PausedConnections;
  onChange: () => void;
  sourceContext: (connection: string, logger: Logger) => SourceContext;
  /** The reason capture is held back for the whole agent (backpressure), if it is. */
  backpressureReason: () => string | undefined;
  /** Dispatchers wait for startDelivery() (the host starts them once it is up); otherwise they start with their connection. */
  holdDelivery?: boolean;
}

export class ConnectionSet {
  private readonly runtimes: ConnectionRuntime[] = [];
  private deliveryHeld: boolean;

  constructor(private readonly deps: ConnectionSetDeps) {
    this.deliveryHeld = deps.holdDelivery ?? false;
  }

  /** Starts the dispatchers held back at start; connections started from now on deliver at once. */
  startDelivery(): void {
    if (!this.deliveryHeld) return;
    this.deliveryHeld = false;
    for (const runtime of this.runtimes) runtime.dispatcher?.start();
  }

  list(): readonly ConnectionRuntime[] {
    return this.runtimes;
  }

  find(id: string): ConnectionRuntime | undefined {
    return this.runtimes.find((r) => r.config.id === id);
  }

  isPaused(id: string): boolean {
    return this.deps.paused.has(id);
  }

  /** Builds and starts a connection (paused if it was paused before); replaces a running one of the same id. */
  async start(
    config: ConnectionConfig,
    secrets: SecretResolver | Error | undefined,
  ): Promise<ConnectionRuntime> {
    if (this.find(config.id)) await this.stop(config.id, 10_000);
    const log = this.deps.logger.child({ connection: config.id });
    const outbox = observeSettlements(
      this.deps.outbox,
      config.id,
      config.destination.type,
      this.deps.activity,
    );
    const runtime = buildConnection(config, outbox, log, secrets, this.deps.onChange);
    this.runtimes.push(runtime);
    const pausedReason = this.isPaused(config.id) ? adminPauseReason : this.deps.backpressureReason();
    if (pausedReason !== undefined) runtime.source?.pause(pausedReason);
    if (this.isPaused(config.id)) runtime.dispatcher?.pause(adminPauseReason);
    if (!this.deliveryHeld) runtime.dispatcher?.start();
    await runtime.source?.start(this.deps.sourceContext(config.id, log));
    this.deps.onChange();
    return runtime;
  }

  /** Stops and forgets a connection; its outbox records stay where they are. */
  async stop(id: string, graceMs: number): Promise<boolean> {
    const index = this.runtimes.findIndex((r) => r.config.id === id);
    const runtime = this.runtimes[index];
    if (!runtime) return false;
    this.runtimes.splice(index, 1);
    await stopRuntimes([runtime], graceMs);
    this.deps.onChange();
    return true;
  }

  async stopAll(graceMs: number): Promise<void> {
    await stopRuntimes(this.runtimes, graceMs);
  }

  async pause(id: string): Promise<void> {
    await this.deps.paused.set(id, true);
    const runtime = this.find(id);
    runtime?.source?.pause(adminPauseReason);
    runtime?.dispatcher?.pause(adminPauseReason);
    this.deps.logger.info({ connection: id }, 'connection paused by an administrator');
    this.deps.onChange();
  }

  async resume(id: string): Promise<void> {
    await this.deps.paused.set(id, false);
    const runtime = this.find(id);
    runtime?.dispatcher?.resume();
    const held = this.deps.backpressureReason();
    if (held !== undefined) runtime?.source?.pause(held);
    else runtime?.source?.resume();
    this.deps.logger.info({ connection: id }, 'connection resumed by an administrator');
    this.deps.onChange();
  }

  /** Drops the pause of a removed connection, so a new connection with its id starts running. */
  async forget(id: string): Promise<void> {
    await this.deps.paused.set(id, false);
  }

  /** Backpressure across the agent: admin-paused connections stay paused when it ends. */
  applyBackpressure(reason: string | undefined): void {
    for (const runtime of this.runtimes) {
      if (this.isPaused(runtime.config.id)) continue;
      if (reason !== undefined) runtime.source?.pause(reason);
      else runtime.source?.resume();
    }
  }
}

/** Capture first, then in-flight sends (finished or released), then the destinations' sockets. */
async function stopRuntimes(runtimes: readonly ConnectionRuntime[], graceMs: number): Promise<void> {
  await Promise.all(runtimes.flatMap((c) => (c.source ? [c.source.stop()] : [])));
  await Promise.all(runtimes.flatMap((c) => (c.dispatcher ? [c.dispatcher.stop(graceMs)] : [])));
  await Promise.all(runtimes.flatMap((c) => (c.destination ? [c.destination.close()] : [])));
}
