// The chaos test's records: a seeded plan of {id, seq, orderingKey} payloads, seeded into the outbox in phases, and the exactly-once check.
import type { CapturedChange } from '../../connectors/core/change.js';
import { outboxFile } from '../../main/shared/data-dir.js';
import { Outbox } from '../../main/outbox/outbox.js';
import type { AppliedItem } from '../../main/sandbox/ingest-store.js';

export interface ChaosPayload {
  id: string;
  /** Capture order, 0-based over the whole run. */
  seq: number;
  orderingKey: string;
}

export interface RecordPlan {
  orderingKeys: string[];
  /** Ordering key of record `seq`. */
  keyOf: string[];
}

/** Ordering keys come in runs (1–12 records of one key in a row), drawn from `keys` keys. */
export function planRecords(count: number, keys: number, random: () => number): RecordPlan {
  const orderingKeys = Array.from({ length: keys }, (_, k) => `key-${String(k).padStart(3, '0')}`);
  const keyOf: string[] = [];
  while (keyOf.length < count) {
    const key = orderingKeys[Math.floor(random() * keys)]!;
    const run = 1 + Math.floor(random() * 12);
    for (let i = 0; i < run && keyOf.length < count; i += 1) keyOf.push(key);
  }
  return { orderingKeys, keyOf };
}

const filler = 'x'.repeat(160);

export function changeFor(plan: RecordPlan, seq: number): CapturedChange {
  const id = `rec-${String(seq).padStart(6, '0')}`;
  const orderingKey = plan.keyOf[seq]!;
  const payload: ChaosPayload & { note: string } = { id, seq, orderingKey, note: filler };
  return {
    idempotencyKey: `chaos:${id}`,
    orderingKey,
    businessKey: id,
    contentType: 'application/json',
    payload: Buffer.from(JSON.stringify(payload)),
  };
}

/**
 * Captures records [from, to) the way a source does (changes + checkpoint in one transaction, 1,000 at a time), into
 * the agent's own outbox file while the agent is not running.
 */
export function enqueueRange(
  dataDir: string,
  connection: string,
  plan: RecordPlan,
  from: number,
  to: number,
) {
  const outbox = Outbox.open(outboxFile(dataDir), { synchronous: 'FULL', busyTimeoutMs: 5000 });
  try {
    for (let start = from; start < to; start += 1000) {
      const end = Math.min(to, start + 1000);
      const changes = Array.from({ length: end - start }, (_, i) => changeFor(plan, start + i));
      const result = outbox.enqueue(connection, {
        changes,
        checkpoints: [{ key: 'chaos:captured', value: String(end) }],
      });
      if (result.inserted !== changes.length)
        throw new Error(
          `enqueue ${start}..${end}: ${result.inserted} inserted, ${result.duplicates} duplicates`,
        );
    }
  } finally {
    outbox.close();
  }
}

export interface OutboxFigures {
  total: number;
  pending: number;
  dead: number;
  delivered: number;
  /** Sum over records of (attempts - 1): sends that had to be repeated (a lease lost to a kill counts too). */
  retries: number;
  maxAttempts: number;
}

export function readOutboxFigures(dataDir: string): OutboxFigures {
  const outbox = Outbox.open(outboxFile(dataDir), { synchronous: 'FULL', busyTimeoutMs: 5000 });
  try {
    return outbox.db
      .prepare(
        `SELECT count(*) AS total,
                total(settled_at IS NULL) AS pending,
                total(state = 'dead') AS dead,
                total(state = 'delivered') AS delivered,
                total(max(attempts - 1, 0)) AS retries,
                max(attempts) AS maxAttempts
         FROM records`,
      )
      .get() as OutboxFigures;
  } finally {
    outbox.close();
  }
}

export interface DeliveryCheck {
  /** Records the server applied more than once (ids). */
  appliedTwice: string[];
  /** Records never applied (ids). */
  missing: string[];
  /** Items that are not records of this run. */
  foreign: number;
  /** Ordering keys whose records were applied out of capture order, with the first offending pair. */
  outOfOrder: { key: string; before: number; after: number }[];
}

/** Every record applied exactly once (by its own id), and per ordering key in capture (seq) order. */
export function checkDeliveries(items: AppliedItem[], plan: RecordPlan): DeliveryCheck {
  const seen = new Map<string, number>();
  const lastSeq = new Map<string, number>();
  const outOfOrder: DeliveryCheck['outOfOrder'] = [];
  const reported = new Set<string>();
  let foreign = 0;
  for (const item of items) {
    let payload: ChaosPayload;
    try {
      payload = JSON.parse(item.body.toString('utf8')) as ChaosPayload;
    } catch {
      foreign += 1;
      continue;
    }
    if (typeof payload.id !== 'string' || plan.keyOf[payload.seq] !== payload.orderingKey) {
      foreign += 1;
      continue;
    }
    seen.set(payload.id, (seen.get(payload.id) ?? 0) + 1);
    const previous = lastSeq.get(payload.orderingKey);
    if (previous !== undefined && payload.seq < previous && !reported.has(payload.orderingKey)) {
      reported.add(payload.orderingKey);
      outOfOrder.push({ key: payload.orderingKey, before: previous, after: payload.seq });
    }
    lastSeq.set(payload.orderingKey, Math.max(previous ?? -1, payload.seq));
  }
  const appliedTwice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  const missing: string[] = [];
  for (let seq = 0; seq < plan.keyOf.length; seq += 1) {
    const id = `rec-${String(seq).padStart(6, '0')}`;
    if (!seen.has(id)) missing.push(id);
  }
  return { appliedTwice, missing, foreign, outOfOrder };
}
