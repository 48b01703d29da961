// PostgreSQL logical decoding source: streams the slot into the outbox, one transaction per outbox transaction.
import type { Source, SourceContext, SourceHealth } from '../../../core/source.js';
import { describeDatabaseError, type ConnectClient, type DatabaseClient } from '../database-client.js';
import type { PostgresConnection } from '../postgres-client.js';
import type { PostgresLogicalSourceConfig } from './config.js';
import type { ReplicationSession } from './replication-session.js';
import { readPrimaryKeys, readSlotFacts, SlotMissingError, type SlotFacts } from './slot-facts.js';
import type { AssembledTransaction } from './transaction-assembler.js';

export interface LogicalSourceOptions {
  config: PostgresLogicalSourceConfig;
  connection: PostgresConnection;
  /** Ordinary sessions (slot facts, primary keys). */
  connect: ConnectClient;
  /** "PostgreSQL at host:5432/erp". */
  where: string;
  transportWarning?: string | undefined;
}

/** Checkpoint entries: the commit LSN of the newest stored transaction, and what it is a position in. */
export const lsnKey = 'lsn';
const streamKey = 'stream';

export function logicalGuarantee(config: PostgresLogicalSourceConfig): string {
  return (
    `every committed insert, update, delete and truncate of ${config.tables.join(', ')}, in commit order, each ` +
    'transaction stored whole with its commit LSN; the slot keeps the log until the agent confirms it, so a crash ' +
    'or restart neither loses nor repeats a change (see docs/logical-decoding.md)'
  );
}

export class LogicalSource implements Source {
  readonly type = 'postgres';
  private readonly state: SourceHealth;
  private context: SourceContext | undefined;
  private session: ReplicationSession | undefined;
  private factsClient: DatabaseClient | undefined;
  private loop: Promise<void> | undefined;
  private factsTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private pausedReason: string | undefined;
  private stopped = false;
  private failures = 0;
  private systemId: string | undefined;
  private slot: SlotFacts | undefined;
  private lagMs = 0;
  private lostContactAt: number | undefined;

  constructor(private readonly options: LogicalSourceOptions) {
    const { config } = options;
    const warning = options.transportWarning ? `; ${options.transportWarning}` : '';
    this.state = {
      state: 'starting',
      guarantee: logicalGuarantee(config),
      mode: `logical decoding of ${config.tables.join(', ')} (slot ${config.slot}, publication ${config.publication})${warning}`,
    };
  }

  start(context: SourceContext): Promise<void> {
    this.context = context;
    this.loop = this.run();
    this.factsTimer = setInterval(() => void this.checkSlot(), this.options.config.slotCheckIntervalMs);
    this.factsTimer.unref();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.factsTimer);
    await this.session?.stop();
    this.wake?.();
    await this.loop;
    await this.factsClient?.close();
    this.factsClient = undefined;
    this.report({ state: 'stopped', detail: undefined });
  }

  pause(reason: string): void {
    this.pausedReason = reason;
    this.report({ state: 'paused', detail: reason });
    void this.session?.stop(); // the slot keeps the log meanwhile; the stream restarts from the checkpoint
  }

  resume(): void {
    this.pausedReason = undefined;
    this.report({ state: this.failures > 0 ? 'degraded' : 'running', detail: this.state.detail });
    this.wake?.();
  }

  health(): SourceHealth {
    const lag = this.lostContactAt === undefined ? this.lagMs : Date.now() - this.lostContactAt;
    return { ...this.state, lagMs: Math.max(0, lag), ...(this.slot ? { replicationSlot: this.slot } : {}) };
  }

  private report(patch: Partial<SourceHealth>): void {
    Object.assign(this.state, patch);
    this.context?.reportHealth(this.health());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.pausedReason !== undefined) {
        await this.sleep(60_000);
        continue;
      }
      try {
        await this.stream();
      } catch (error) {
        if (this.stopped) break;
        if (this.pausedReason !== undefined) continue;
        await this.sleep(this.failed(error));
      }
    }
  }

  /** Where the stream starts; a different server (system id) or slot than the stored one starts over. */
  private restore(context: SourceContext, systemId: string): string | undefined {
    const stream = JSON.stringify({ systemId, slot: this.options.config.slot });
    const stored = context.checkpoint(streamKey);
    if (stored === stream) return context.checkpoint(lsnKey);
    if (stored !== undefined) {
      context.logger.warn(
        'the server or the replication slot changed since the last run: the slot position is used',
      );
    }
    context.emit({
      changes: [],
      checkpoints: [
        { key: streamKey, value: stream },
        { key: lsnKey, value: null },
      ],
    });
    return undefined;
  }

  private async stream(): Promise<void> {
    const context = this.context;
    if (!context) return;
    const { config } = this.options;
    const { identifySystem, openReplicationSession } = await import('./replication-session.js');
    const { postgresClientConfig } = await import('../postgres-client.js');
    const client = {
      ...postgresClientConfig(this.options.connection),
      connectionTimeoutMillis: config.queryTimeoutMs,
    };
    this.systemId ??= await identifySystem(client);
    const facts = await this.factsSession();
    const primaryKeys = await readPrimaryKeys(facts, config.tables);
    await this.checkSlot(true);
    const startLsn = this.restore(context, this.systemId);
    if (this.stopped || this.pausedReason !== undefined) return;
    const session = openReplicationSession({
      client,
      slot: config.slot,
      publication: config.publication,
      systemId: this.systemId,
      primaryKeys,
      startLsn,
      store: (transaction) => this.store(context, transaction),
      idle: () => this.caughtUp(),
    });
    this.session = session;
    this.lostContactAt = undefined;
    if (this.failures > 0) context.logger.info({ where: this.options.where }, 'logical decoding recovered');
    this.failures = 0;
    if (this.pausedReason === undefined) this.report({ state: 'running', detail: undefined });
    try {
      await session.done;
    } finally {
      this.session = undefined;
    }
  }

  /**
   * One transaction and its commit LSN in one outbox transaction. With a mapping the transaction is shaped first
   * (asynchronously; the session holds back what follows until it is stored).
   */
  private store(context: SourceContext, transaction: AssembledTransaction): void | Promise<void> {
    const batch = {
      changes: transaction.changes,
      checkpoints: [{ key: lsnKey, value: transaction.commitLsn }],
    };
    if (context.shapes) return context.emitShaped(batch).then(() => this.stored(transaction));
    context.emit(batch);
    this.stored(transaction);
  }

  private stored(transaction: AssembledTransaction): void {
    const now = Date.now();
    if (transaction.changes.length > 0) this.state.lastCaptureAt = now;
    this.lagMs = Math.max(0, now - transaction.commitTime);
  }

  private caughtUp(): void {
    this.lagMs = 0;
  }

  private async factsSession(): Promise<DatabaseClient> {
    this.factsClient ??= await this.options.connect({
      queryTimeoutMs: this.options.config.queryTimeoutMs,
      readOnly: true,
    });
    return this.factsClient;
  }

  /** Refreshes the slot facts for status; `strict`: a missing slot throws (at stream start) instead of being shown. */
  private async checkSlot(strict = false): Promise<void> {
    try {
      const client = await this.factsSession();
      this.slot = await readSlotFacts(client, this.options.config.slot, this.options.config.slotAlertBytes);
      this.context?.reportHealth(this.health());
    } catch (error) {
      const client = this.factsClient;
      this.factsClient = undefined;
      if (!(error instanceof SlotMissingError)) void client?.close();
      else this.factsClient = client;
      if (strict) throw error;
    }
  }

  private failed(error: unknown): number {
    this.failures += 1;
    const facts = this.factsClient; // a session cut with the stream (server restart) would fail every retry
    this.factsClient = undefined;
    void facts?.close();
    this.lostContactAt ??= Date.now();
    const { baseMs, capMs } = this.options.config.retry;
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(this.failures - 1, 30));
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    const message = error instanceof SlotMissingError ? error.message : describeLogicalError(error);
    this.context?.logger.warn(
      { where: this.options.where, failures: this.failures, retryInMs: delay, error: message },
      'logical decoding failed; will retry',
    );
    const detail = `${this.options.where}: ${message} (attempt ${this.failures}, retrying in ${Math.ceil(delay / 1000)} s)`;
    if (this.pausedReason === undefined) this.report({ state: 'degraded', detail });
    return delay;
  }
}

/** The database's message, with the fix for the errors of replication connections. */
export function describeLogicalError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === '42501' || /must be superuser or replication role/i.test(message))
    return `${message}. Fix: ALTER ROLE <login> REPLICATION; (as a superuser), see docs/logical-decoding.md`;
  if (code === '55006')
    return `${message}. Fix: another session streams from this slot: stop it, or give this connection its own slot`;
  if (/publication .* does not exist/i.test(message))
    return `${message}. Fix: run \`integration-agent capture setup <connection>\` to create it`;
  if (/no pg_hba.conf entry for replication/i.test(message))
    return `${message}. Fix: add a "host replication <login> <address> scram-sha-256" line to pg_hba.conf`;
  if (/logical decoding requires wal_level/i.test(message))
    return `${message}. Fix: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL`;
  return describeDatabaseError(error);
}
