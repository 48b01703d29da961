// The broker chaos check: every record's key seen at least once, duplicates counted, per ordering key first sights in capture order.
import type { ChaosPayload, RecordPlan } from './chaos-records.js';
import type { Consumed } from './broker-consumers.js';

export interface AtLeastOnceCheck {
  /** Records whose key the consumer never saw (ids). */
  missing: string[];
  /** Messages whose key had been seen before (redeliveries the consumer absorbs by the key). */
  duplicates: number;
  /** Messages that are not records of this run, or whose key does not match their payload. */
  foreign: number;
  /** Ordering keys whose records were first seen out of capture order, with the first offending pair. */
  outOfOrder: { key: string; before: number; after: number }[];
}

/**
 * At-least-once with order: a consumer that drops a message whose key it has seen keeps exactly the first sighting
 * of each record, and those must follow capture order (seq) within each ordering key.
 */
export function checkAtLeastOnce(messages: Consumed[], plan: RecordPlan): AtLeastOnceCheck {
  const seen = new Set<string>();
  const lastSeq = new Map<string, number>();
  const outOfOrder: AtLeastOnceCheck['outOfOrder'] = [];
  let duplicates = 0;
  let foreign = 0;
  for (const message of messages) {
    let payload: ChaosPayload;
    try {
      payload = JSON.parse(message.body) as ChaosPayload;
    } catch {
      foreign += 1;
      continue;
    }
    const valid =
      typeof payload.id === 'string' &&
      plan.keyOf[payload.seq] === payload.orderingKey &&
      message.idempotencyKey === `chaos:${payload.id}`;
    if (!valid) {
      foreign += 1;
      continue;
    }
    if (seen.has(payload.id)) {
      duplicates += 1;
      continue;
    }
    seen.add(payload.id);
    const previous = lastSeq.get(payload.orderingKey);
    if (
      previous !== undefined &&
      payload.seq < previous &&
      !outOfOrder.some((o) => o.key === payload.orderingKey)
    )
      outOfOrder.push({ key: payload.orderingKey, before: previous, after: payload.seq });
    lastSeq.set(payload.orderingKey, Math.max(previous ?? -1, payload.seq));
  }
  const missing: string[] = [];
  for (let seq = 0; seq < plan.keyOf.length; seq += 1) {
    const id = `rec-${String(seq).padStart(6, '0')}`;
    if (!seen.has(id)) missing.push(id);
  }
  return { missing, duplicates, foreign, outOfOrder };
}
