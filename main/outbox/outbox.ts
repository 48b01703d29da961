// The durable outbox: one facade over enqueue, lease, settle, dead letters, timelines, retention and counts.
import type { Database, Statement } from 'better-sqlite3';
import type { ChangeBatch, EnqueueResult } from '../../connectors/core/change.js';
import type { SendResult } from '../../connectors/core/destination.js';
import { AuditLog } from './audit-log.js';
import { OutboxCounters, type ConnectionCounts } from './counters.js';
import { DeadLetters, type DeadLetterActionResult, type DeadLetterQuery } from './dead-letters.js';
import type { PayloadCodec } from './data-keys.js';
import { Enqueuer } from './enqueue.js';
import { openLease, openRemapSelection, sealBatch, sealRemapOutcomes } from './encryption-seam.js';
import { Leaser, type Lease, type LeaseRequest, type ReadyPeek } from './lease.js';
import {
  checkIntegrity,
  checkIntegrityInBackground,
  type BackgroundCheck,
  type IntegrityOutcome,
} from './integrity-check.js';
import {
  isCorruption,
  markDamaged,
  openOutboxDatabase,
  type OpenOptions,
  type QuarantineNotice,
} from './open-database.js';
import type { OutboxRecord } from './record.js';
import { Remaps, type RemapApplied, type RemapOutcome, type RemapSelection } from './remap.js';
import { answerAtRest, answersFor, type AnswerAtRest } from './sealed-answers.js';
import { Retention, type RetentionPolicy, type RetentionResult } from './retention.js';
import { Settler, type SettleGroup, type SettleResult, type Settlement } from './settle.js';
import { Timelines, type RecordTimeline, type SearchQuery } from './timeline.js';
import { WalSync } from './wal-sync.js';
import { holdsKey, keyHash } from './key-hash.js';
import { commitWithoutFsync } from './relaxed-commit.js';
import { readPragma } from './pragma-statements.js';

export type Clock = () => number;

export class Outbox {
  readonly counters = new OutboxCounters();
  readonly audit: AuditLog;
  private readonly enqueuer: Enqueuer;
  private readonly leaser: Leaser;
  private readonly settler: Settler;
  private readonly walSync: WalSync;
  private readonly dead: DeadLetters;
  private readonly remaps: Remaps;
  private readonly timelines: Timelines;
  private readonly retention: Retention;
  private readonly checkpointGet: Statement;
  private readonly checkpointAll: Statement;
  private readonly oldestOpen: Statement;
  private readonly lastDelivered: Statement;
  private readonly statesByKey: Statement;
  private readonly fingerprintInsert: Statement;
  private readonly listeners = new Set<(connection: string) => void>();
  private dataVersion: number;
  private keySite: string | null = null;
  /** Set by useEncryption: payloads are sealed at rest (AES-256-GCM, per-connection data keys). */
  private codec: PayloadCodec | undefined;
  private backgroundCheck: BackgroundCheck | undefined;
  /**
   * The integrity check of a big file, running on a worker thread since open (undefined: the file was checked before
   * use). Damage it finds is recorded in the audit log ('outbox.damaged') and marked, so the next open sets the file aside.
   */
  integrityCheck: Promise<IntegrityOutcome> | undefined;

  private constructor(
    readonly db: Database,
    readonly clock: Clock,
    maxDatabaseBytes?: number,
  ) {
    this.counters.load(db);
    this.dataVersion = db.pragma('data_version', { simple: true }) as number;
    this.audit = new AuditLog(db);
    this.enqueuer = new Enqueuer(db, this.counters, maxDatabaseBytes);
    this.leaser = new Leaser(db);
    this.settler = new Settler(db, this.counters);
    this.walSync = new WalSync(`${db.name}-wal`);
    this.dead = new DeadLetters(db, this.counters, this.audit);
    this.remaps = new Remaps(db, this.counters, this.audit);
    this.timelines = new Timelines(db);
    this.retention = new Retention(db);
    this.checkpointGet = db.prepare('SELECT value FROM checkpoints WHERE source = ? AND key = ?').pluck();
    this.checkpointAll = db.prepare('SELECT key, value FROM checkpoints WHERE source = ?');
    this.oldestOpen = db
      .prepare(
        `SELECT min(created_at) FROM (
           SELECT created_at FROM (SELECT created_at FROM records WHERE connection = @connection AND state = 'pending' ORDER BY id LIMIT 1)
           UNION ALL
           SELECT created_at FROM (SELECT created_at FROM records WHERE connection = @connection AND state = 'leased' ORDER BY id LIMIT 1))`,
      )
      .pluck();
    this.lastDelivered = db
      // Latest settle time, not highest id: an old record that retried for hours may be the most recent delivery.
      // Walks records_compactable backwards, then records_compacted only if the connection has nothing there:
      // compaction takes the oldest settled records first, so any uncompacted one settled after every compacted one.
      // (The unary + keeps the planner off records_by_state and a sort.)
      .prepare(
        `SELECT coalesce(
           (SELECT settled_at FROM records WHERE compacted_at IS NULL AND state IN ('delivered', 'discarded')
              AND +connection = @connection AND +state = 'delivered' ORDER BY settled_at DESC LIMIT 1),
           (SELECT settled_at FROM records WHERE compacted_at IS NOT NULL AND state IN ('delivered', 'discarded')
              AND +connection = @connection AND +state = 'delivered' ORDER BY settled_at DESC LIMIT 1))`,
      )
      .pluck();
    // Mapping fingerprints sit beside the checkpoints, under a source name no connection id can have ('#').
    this.fingerprintInsert = db.prepare(
      `INSERT INTO checkpoints (source, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (source, key) DO NOTHING`,
    );
    // One lookup per key through records_by_key_hash ([hash, key] pairs), confirmed by the key itself.
    this.statesByKey = db.prepare(
      `SELECT r.idempotency_key, r.state FROM json_each(?) j CROSS JOIN records r
       WHERE ${holdsKey('j.value ->> 0', '?', 'j.value ->> 1', 'r.')}`,
    );
  }

  /**
   * Another process committed to this outbox since the last call (the CLI replaying or discarding dead letters while
   * the agent runs): the in-memory counts are reloaded so status stays true. Returns whether anything changed.
   */
  syncExternalWrites(): boolean {
    const version = readPragma(this.db, 'data_version') as number;
    if (version === this.dataVersion) return false;
    this.dataVersion = version;
    this.counters.load(this.db);
    // Replayed records may be due now: wake whoever waits for new records (the dispatchers).
    for (const connection of this.counters.connections())
      for (const listener of this.listeners) listener(connection);
    return true;
  }

  /** The state of each of these records of a connection ('pending', 'delivered', …); unknown keys are absent. */
  deliveryStates(connection: string, idempotencyKeys: readonly string[]): Map<string, string> {
    const states = new Map<string, string>();
    for (let i = 0; i < idempotencyKeys.length; i += 500) {
      const chunk = JSON.stringify(idempotencyKeys.slice(i, i + 500).map((k) => [keyHash(connection, k), k]));
      for (const row of this.statesByKey.all(chunk, connection) as {
        idempotency_key: string;
        state: string;
      }[])
        states.set(row.idempotency_key, row.state);
    }
    return states;
  }

  /** Opens the outbox file; a corrupt file is quarantined (recorded in the audit log) and a fresh one created. */
  static open(file: string, options: OpenOptions, clock: Clock = Date.now): Outbox {
    const { db, quarantined, checkDeferred } = openOutboxDatabase(file, options, clock());
    let outbox: Outbox;
    try {
      outbox = new Outbox(db, clock, options.maxDatabaseBytes);
      if (!options.readonly) outbox.leaser.releaseOrphanedLeases(outbox.counters.connections()); // a read-only view (CLI status) must not write
    } catch (error) {
      db.close();
      if (!checkDeferred || !isCorruption(error)) throw error;
      // Damage the deferred check had not found yet: marked, so this second open checks first and sets the file aside.
      markDamaged(file, error instanceof Error ? error.message : String(error), clock());
      return Outbox.open(file, options, clock);
    }
    if (quarantined)
      outbox.audit.record(quarantined.at, 'agent', 'outbox.quarantined', quarantined.movedTo, quarantined);
    if (checkDeferred) outbox.checkInBackground(file);
    return outbox;
  }

  private checkInBackground(file: string): void {
    const check = checkIntegrityInBackground(file);
    this.backgroundCheck = check;
    this.integrityCheck = check.finding
      // A worker that cannot start or open the file (a packaging without worker threads): the check runs here, once.
      .catch(() => checkIntegrity(this.db))
      .then(
        (damage): IntegrityOutcome => {
          this.backgroundCheck = undefined;
          if (!damage) return { kind: 'healthy' };
          if (this.db.open) {
            const at = this.clock();
            markDamaged(file, damage, at);
            this.audit.record(at, 'agent', 'outbox.damaged', file, { reason: damage, at });
          }
          return { kind: 'damaged', reason: damage };
        },
        (error: unknown): IntegrityOutcome => ({
          kind: 'not-run',
          reason: error instanceof Error ? error.message : String(error),
        }),
      );
  }

  /** Quarantine events, newest first: shown in status so nobody misses that an old outbox was set aside. */
  quarantineNotices(): QuarantineNotice[] {
    return this.audit.recent('outbox.quarantined').map((e) => e.detail as QuarantineNotice);
  }

  /**
   * Records enqueued from now on are sent under `<siteId>:<key>` (agent.siteId), so keys stay unique across agents;
   * records already stored keep the key they had. undefined: bare keys.
   */
  useSiteId(siteId: string | undefined): void {
    this.keySite = siteId ?? null;
  }

  /** Turns payload encryption at rest on (outbox.encryption.enabled); records stored before stay readable. */
  useEncryption(codec: PayloadCodec): void {
    this.codec = codec;
  }

  /** `keySite` overrides the site id for these records (salvage keeps the key a record was sent with). */
  enqueue(connection: string, batch: ChangeBatch, keySite: string | null = this.keySite): EnqueueResult {
    const sealed = sealBatch(this.codec, connection, batch);
    const result = this.enqueuer.enqueue(connection, sealed, this.clock(), keySite);
    if (result.inserted > 0) this.notify(connection);
    return result;
  }

  private notify(connection: string): void {
    for (const listener of this.listeners) listener(connection);
  }

  /** Called with the connection id after new records were committed. */
  onEnqueued(listener: (connection: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  lease(request: LeaseRequest): Lease {
    return openLease(this.codec, request.connection, this.leaser.lease(request, this.clock()));
  }

  peekReady(connection: string, limit: number): ReadyPeek {
    return this.leaser.peekReady(connection, limit, this.clock());
  }

  nextDueAt(connection: string): number | undefined {
    return this.leaser.nextDueAt(connection);
  }

  settle(token: string, settlements: Settlement[]): SettleResult {
    return this.settler.settle(token, settlements, this.clock());
  }

  /**
   * The outcomes of many sends committed together (group commit): one result per group, in order. `deferred`: with
   * synchronous FULL the commit does not wait for the disk on the event loop; nothing may act on these outcomes (tell
   * a source, say delivered) before `durable()` has resolved.
   */
  settleGroups(groups: readonly SettleGroup[], durability: 'now' | 'deferred' = 'now'): SettleResult[] {
    const commit = () => this.settler.settleGroups(groups, this.clock());
    return durability === 'deferred' ? commitWithoutFsync(this.db, commit) : commit();
  }

  /** Resolves once everything committed so far is on disk (at once unless the outbox runs synchronous FULL). */
  durable(): Promise<void> {
    return readPragma(this.db, 'synchronous') === 2 ? this.walSync.durable() : Promise.resolve();
  }

  deadLetters(query: DeadLetterQuery): OutboxRecord[] {
    return this.dead.page(query);
  }

  replay(ids: number[], actor: string): DeadLetterActionResult {
    const result = this.dead.replay(ids, actor, this.clock());
    if (result.done.length > 0) for (const c of this.counters.connections()) this.notify(c);
    return result;
  }

  /** Dead letters the mapping rejected that may be mapped again (see main/outbox/remap.ts), their payloads opened. */
  remapSelection(
    connection: string,
    request: { ids: number[] } | { afterId: number; limit: number },
  ): RemapSelection {
    return openRemapSelection(this.codec, connection, this.remaps.select(connection, request));
  }

  /** Stores what the current mapping made of selected dead letters: the mapped ones are queued again, sealed. */
  applyRemap(connection: string, outcomes: RemapOutcome[], actor: string): RemapApplied {
    const sealed = sealRemapOutcomes(this.codec, connection, outcomes);
    const applied = this.remaps.apply(connection, sealed, actor, this.clock());
    if (applied.remapped.length > 0) this.notify(connection);
    return applied;
  }

  discard(ids: number[], actor: string): DeadLetterActionResult {
    return this.dead.discard(ids, actor, this.clock());
  }

  /**
   * With `openAnswers` (admins) the receiver's answers stored encrypted are opened; otherwise they stay sealed and
   * the timeline says so.
   */
  timeline(id: number, { openAnswers = false }: { openAnswers?: boolean } = {}): RecordTimeline | undefined {
    const timeline = this.timelines.timeline(id);
    if (!timeline) return undefined;
    const events = answersFor(this.codec, timeline.record.connection, timeline.events, openAnswers);
    return { ...timeline, events };
  }

  /** What of a send's result may be kept in clear; with encryption on, the receiver's words are sealed apart. */
  answerAtRest(connection: string, result: SendResult): AnswerAtRest {
    return answerAtRest(this.codec, connection, result);
  }

  search(query: SearchQuery) {
    return this.timelines.search(query);
  }

  checkpoint(source: string, key: string): string | undefined {
    return this.checkpointGet.get(source, key) as string | undefined;
  }

  /** Stores the fingerprint of a connection's mapping version unless one is stored already; returns the stored one. */
  mappingFingerprint(connection: string, version: number, fingerprint: string): string {
    const source = `${connection}#mapping`;
    const key = `v${version}`;
    this.fingerprintInsert.run(source, key, fingerprint, this.clock());
    return this.checkpoint(source, key) ?? fingerprint;
  }

  checkpoints(source: string): Map<string, string> {
    const rows = this.checkpointAll.all(source) as { key: string; value: string }[];
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  counts(connection: string): ConnectionCounts {
    return { ...this.counters.of(connection) };
  }

  oldestPendingAt(connection: string): number | undefined {
    return (this.oldestOpen.get({ connection }) as number | null) ?? undefined; // named: used twice in the query
  }

  lastDeliveredAt(connection: string): number | undefined {
    return (this.lastDelivered.get({ connection }) as number | null) ?? undefined;
  }

  applyRetention(policy: RetentionPolicy): RetentionResult {
    return this.retention.run(policy, this.clock());
  }

  close(): void {
    void this.backgroundCheck?.stop();
    if (this.db.open) this.db.close();
  }
}
