// Records for the delivery benchmark: 1 KiB JSON payloads, seeded into an outbox the way a source captures them.
import { randomBytes } from 'node:crypto';
import type { CapturedChange } from '../../connectors/core/change.js';
import type { Outbox } from '../../main/outbox/outbox.js';

export const RECORD_BYTES = 1024;
export const BENCH_CONNECTION = 'bench';

/** Enough ordering keys that every batch finds `batch` heads: records of one key are delivered one at a time. */
export function orderingKeysFor(batch: number, concurrency: number): number {
  return batch * (concurrency + 2);
}

/** Record `seq` as a 1 KiB JSON object (random filler, so nothing compresses or caches). */
export function benchChange(seq: number, orderingKeys: number): CapturedChange {
  const id = `rec-${String(seq).padStart(9, '0')}`;
  const head = `{"id":"${id}","seq":${seq},"data":"`;
  const tail = '"}';
  const filler = randomBytes(RECORD_BYTES)
    .toString('base64url')
    .slice(0, RECORD_BYTES - head.length - tail.length);
  return {
    idempotencyKey: `bench:${id}`,
    orderingKey: `key-${seq % orderingKeys}`,
    businessKey: id,
    contentType: 'application/json',
    payload: Buffer.from(head + filler + tail),
  };
}

/** Enqueues records [from, to) in 1,000-record transactions with a checkpoint, as a source does. */
export function seedOutbox(outbox: Outbox, from: number, to: number, orderingKeys: number): void {
  for (let start = from; start < to; start += 1000) {
    const end = Math.min(to, start + 1000);
    const changes = Array.from({ length: end - start }, (_, i) => benchChange(start + i, orderingKeys));
    const result = outbox.enqueue(BENCH_CONNECTION, {
      changes,
      checkpoints: [{ key: 'bench:captured', value: String(end) }],
    });
    if (result.inserted !== changes.length)
      throw new Error(`seeding ${start}..${end}: ${result.duplicates} duplicates`);
  }
}
