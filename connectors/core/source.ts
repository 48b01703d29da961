// The Source contract: how a capture connector plugs into the engine.
import type { Logger } from 'pino';
import type { ChangeBatch, EnqueueResult } from './change.js';

/** One record the destination confirmed, as the engine reports it to its source (`origin` as captured). */
export interface DeliveredRecord {
  idempotencyKey: string;
  origin: Record<string, string | number> | null;
}

export type SourceState = 'starting' | 'running' | 'paused' | 'degraded' | 'stopped' | 'failed';

export interface SourceHealth {
  state: SourceState;
  /** Plain-words explanation when not simply running ("paused: outbox is over its 100,000-record cap"). */
  detail?: string;
  /** Plain-words delivery guarantee of this source's mode. */
  guarantee: string;
  /** The capture mode in a few words, e.g. "table orders, watermark updated_at" or "records (CSV)". */
  mode?: string;
  /** Milliseconds since epoch of the last change captured. */
  lastCaptureAt?: number;
  /** How far behind now capture is (e.g. now minus the newest watermark seen, or the age of the oldest unread file). */
  lagMs?: number;
  /** Work noticed at the source but not captured yet (files still settling or queued, rows still to read). */
  waiting?: { count: number; unit: string };
  /** Logical decoding: the replication slot's backpressure (WAL the server keeps for it) and its alert size. */
  replicationSlot?: ReplicationSlotFacts;
}

export interface ReplicationSlotFacts {
  name: string;
  /** pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn): WAL the server keeps on disk for this slot. */
  retainedBytes: number;
  /** WAL written since the position the agent last confirmed. */
  lagBytes: number;
  active: boolean;
  /** The configured slotAlertBytes. */
  alertBytes: number;
  checkedAt: number;
}

/** Everything the engine gives a source: the only way it talks to the outbox. */
export interface SourceContext {
  /** Store the batch and its checkpoint in one transaction. Throws if the outbox cannot take it (disk full, …): the checkpoint is then unchanged. */
  emit(batch: ChangeBatch): EnqueueResult;
  /**
   * Like emit, for batches whose payloads the connection's mapping shapes (folder files and records): the mapping
   * runs first (JSONata evaluates asynchronously), then the shaped batch is stored as emit stores it.
   */
  emitShaped(batch: ChangeBatch): Promise<EnqueueResult>;
  /** True when emitShaped runs a mapping: a source may then hand each payload's object along (CapturedChange.parsed). */
  shapes?: boolean;
  /** Read a checkpoint entry this source stored earlier. */
  checkpoint(key: string): string | undefined;
  /** All checkpoint entries of this source (for catch-up comparisons). */
  checkpoints(): Map<string, string>;
  logger: Logger;
  /** Called by the source whenever its health changes. */
  reportHealth(health: SourceHealth): void;
  /** The outbox state of each of these records ('pending', 'delivered', …); unknown keys are absent. */
  deliveryStates(idempotencyKeys: readonly string[]): Map<string, string>;
}

export interface Source {
  readonly type: string;
  start(context: SourceContext): Promise<void>;
  /** Stop capturing; resolves once no emit is in progress. */
  stop(): Promise<void>;
  /** Backpressure: stop taking new changes until resume(); `reason` is shown in status. */
  pause(reason: string): void;
  resume(): void;
  health(): SourceHealth;
  /** The server confirmed these records (called after the outbox committed it): e.g. archive the file they came from. */
  delivered?(records: readonly DeliveredRecord[]): void;
}
