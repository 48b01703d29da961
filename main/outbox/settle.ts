// Records the outcome of a send: delivered with a receipt, retry at a time, or dead with the reason.
import type { Database, Statement } from 'better-sqlite3';
import { RecordEvents } from './record-events.js';
import { OrderingQueues } from './ordering-queue.js';
import { SendOutcomes } from './send-outcomes.js';
import { BatchStatement } from './chunked-statement.js';
import type { Receipt, RequestSummary, ResponseExcerpt } from '../../connectors/core/destination.js';
import type { DeliveredRecord } from '../../connectors/core/source.js';
import type { OutboxCounters } from './counters.js';

/** Facts about the attempt that go on the record's timeline next to its outcome. */
interface AttemptFacts {
  latencyMs: number;
  traceparent?: string;
  /** What was sent (operation, target, size), never the payload. */
  request?: RequestSummary;
}

export type Settlement = AttemptFacts &
  (
    | { id: number; kind: 'delivered'; receipt: Receipt }
    | ({ id: number; kind: 'retry'; retryAt: number; error: string; code?: string } & Sealed)
    | ({ id: number; kind: 'dead'; error: string; response?: ResponseExcerpt; code?: string } & Sealed)
  );

/** The receiver's answer sealed under the connection's data key (see sealed-answers.ts), kept on the event. */
interface Sealed {
  sealedAnswer?: string;
}

export interface SettleResult {
  settled: number;
  /** Settlements whose lease had expired or been taken over: ignored, the record is handled by its new lease. */
  stale: number[];
  /** Records this settle marked delivered (committed), with their origin: what the source may act on. */
  delivered: DeliveredRecord[];
}

/** The settlements of one lease (one send's outcome). */
export interface SettleGroup {
  token: string;
  settlements: Settlement[];
}

type Delivery = Extract<Settlement, { kind: 'delivered' }>;

/** What every outcome's timeline event says about the attempt. */
function attemptOf(s: Settlement): AttemptFacts {
  return {
    latencyMs: s.latencyMs,
    ...(s.traceparent ? { traceparent: s.traceparent } : {}),
    ...(s.request ? { request: s.request } : {}),
  };
}

/** The same attempt facts, by identity: a cheap check before writing them out. */
function sameAttempt(a: Settlement, b: Settlement): boolean {
  return a.latencyMs === b.latencyMs && a.traceparent === b.traceparent && a.request === b.request;
}

interface Closed {
  connection: string;
  size: number;
  dead: boolean;
}

interface SettledRow {
  connection: string;
  size: number;
  idempotency_key: string;
  origin: string | null;
}

export class Settler {
  private readonly delivered: Statement;
  private readonly retry: Statement;
  private readonly dead: Statement;
  private readonly deliveredMany: BatchStatement;
  private readonly events: RecordEvents;
  private readonly outcomes: SendOutcomes;
  private readonly run: (
    groups: readonly SettleGroup[],
    now: number,
  ) => { results: SettleResult[]; closed: Closed[] };

  constructor(
    db: Database,
    private readonly counters: OutboxCounters,
  ) {
    const ownLease = `WHERE id = ? AND state = 'leased' AND lease_token = ? RETURNING connection, size, idempotency_key, origin`;
    this.delivered = db.prepare(`
      UPDATE records SET state = 'delivered', receipt = ?, settled_at = ?, last_error = NULL,
        lease_token = NULL, lease_expires_at = NULL ${ownLease}`);
    this.retry = db.prepare(`
      UPDATE records SET state = 'pending', next_attempt_at = ?, last_error = ?,
        lease_token = NULL, lease_expires_at = NULL ${ownLease}`);
    this.dead = db.prepare(`
      UPDATE records SET state = 'dead', last_error = ?, settled_at = ?,
        lease_token = NULL, lease_expires_at = NULL ${ownLease}`);
    this.deliveredMany = new BatchStatement(
      db,
      (batch) => `
      WITH batch (id, receipt, outcome) AS (${batch})
      UPDATE OR FAIL records SET state = 'delivered', receipt = batch.receipt, outcome_id = batch.outcome, settled_at = @now,
        last_error = NULL, lease_token = NULL, lease_expires_at = NULL
      FROM batch
      WHERE records.id = batch.id AND records.state = 'leased' AND records.lease_token = @token
      RETURNING id, connection, size, idempotency_key, origin`,
      3,
    ); // rows as arrays: the driver's object rows cost a slow property set per column (see lease.ts)
    this.events = new RecordEvents(db);
    this.outcomes = new SendOutcomes(db);
    const queues = new OrderingQueues(db);
    const one = (token: string, settlements: Settlement[], now: number, closed: Closed[]): SettleResult => {
      // A lease's records are distinct, so its deliveries go in one statement; were an id settled twice, the
      // one-by-one path below keeps the first outcome and calls the others stale.
      const distinct = new Set(settlements.map((s) => s.id)).size === settlements.length;
      const deliveredRows = distinct ? this.deliverAll(token, settlements, now) : undefined;
      const stale: number[] = [];
      const delivered: DeliveredRecord[] = [];
      const closedIds: number[] = [];
      for (const s of settlements) {
        const row =
          deliveredRows && s.kind === 'delivered' ? deliveredRows.get(s.id) : this.apply(token, s, now);
        if (!row) {
          stale.push(s.id);
          continue;
        }
        if (s.kind === 'delivered') {
          const origin = row.origin === null ? null : (JSON.parse(row.origin) as DeliveredRecord['origin']);
          delivered.push({ idempotencyKey: row.idempotency_key, origin });
        }
        if (s.kind !== 'retry') {
          closedIds.push(s.id);
          closed.push({ connection: row.connection, size: row.size, dead: s.kind === 'dead' });
        }
      }
      // Only heads are leased, so no record waiting for one closed here is itself in these settlements.
      queues.closed(closedIds);
      return { settled: settlements.length - stale.length, stale, delivered };
    };
    const transaction = db.transaction((groups: readonly SettleGroup[], now: number) => {
      const closed: Closed[] = [];
      const results = groups.map((g) => one(g.token, g.settlements, now, closed));
      return { results, closed };
    });
    this.run = (...args) => transaction.immediate(...args);
  }

  /**
   * The deliveries among `settlements` (distinct ids) in one statement: the rows it changed. Their timeline step is one
   * send outcome for all deliveries with the same facts (one send's deliveries share them), not an event per record.
   */
  private deliverAll(token: string, settlements: Settlement[], now: number): Map<number, SettledRow> {
    const deliveries = settlements.filter((s): s is Delivery => s.kind === 'delivered');
    if (deliveries.length === 0) return new Map();
    const outcomeIds = new Map<string, number>();
    let previous: Delivery | undefined;
    let outcome = 0;
    const records = deliveries.flatMap((s) => {
      // One send's deliveries carry the same facts (objects): those are written out once, not per record.
      if (!previous || !sameAttempt(previous, s)) {
        const facts = JSON.stringify(attemptOf(s));
        const known = outcomeIds.get(facts);
        outcome = known ?? this.outcomes.add(now, facts);
        if (known === undefined) outcomeIds.set(facts, outcome);
      }
      previous = s;
      return [s.id, JSON.stringify(s.receipt), outcome];
    });
    const rows = this.deliveredMany.all(records, { now, token }) as [
      number,
      string,
      number,
      string,
      string | null,
    ][];
    return new Map<number, SettledRow>(
      rows.map(([id, connection, size, idempotency_key, origin]) => [
        id,
        { connection, size, idempotency_key, origin },
      ]),
    );
  }

  private apply(token: string, s: Settlement, now: number): SettledRow | undefined {
    const attempt = attemptOf(s);
    let row: SettledRow | undefined;
    if (s.kind === 'delivered') {
      row = this.delivered.get(JSON.stringify(s.receipt), now, s.id, token) as SettledRow | undefined;
      if (row) this.events.add(s.id, now, 'delivered', { ...attempt, receipt: s.receipt });
    } else if (s.kind === 'retry') {
      row = this.retry.get(s.retryAt, s.error, s.id, token) as SettledRow | undefined;
      if (row) {
        const detail = {
          ...attempt,
          error: s.error,
          code: s.code,
          retryAt: s.retryAt,
          sealedAnswer: s.sealedAnswer,
        };
        this.events.add(s.id, now, 'attempt', detail);
      }
    } else {
      row = this.dead.get(s.error, now, s.id, token) as SettledRow | undefined;
      if (row) {
        const detail = {
          ...attempt,
          error: s.error,
          code: s.code,
          response: s.response,
          sealedAnswer: s.sealedAnswer,
        };
        this.events.add(s.id, now, 'dead', detail);
      }
    }
    return row;
  }

  /** Counters change only after the transaction commits, so a rolled-back settle leaves them right. */
  settle(token: string, settlements: Settlement[], now: number): SettleResult {
    return this.settleGroups([{ token, settlements }], now)[0] as SettleResult;
  }

  /** The outcomes of many sends in one transaction (one fsync): a result per group, in order. */
  settleGroups(groups: readonly SettleGroup[], now: number): SettleResult[] {
    const { results, closed } = this.run(groups, now);
    for (const c of closed) {
      this.counters.addPending(c.connection, -1, -c.size);
      if (c.dead) this.counters.addDead(c.connection, 1);
    }
    return results;
  }
}
