// Builds change batches (1 KB random payloads, distinct idempotency keys, ordering and business keys) before timing.
import { randomBytes } from 'node:crypto';
import type { CapturedChange } from '../../connectors/core/change.js';
import type { KeyStyle } from './bench-options.js';

export const PAYLOAD_BYTES = 1024;
export const CONTENT_TYPE = 'application/octet-stream';

export interface ChangeFactoryOptions {
  /**
   * Record i gets ordering key number i % orderingKeys (round-robin: every key keeps a backlog in capture order). The
   * key's text is a scrambled form of that number, so neighbours in capture order are not neighbours in the
   * ordering-key index, as with real customer or account ids.
   */
  orderingKeys: number;
  keyStyle: KeyStyle;
}

/** A bijection on 32-bit integers (Knuth's multiplicative hash), printed as 8 hex digits. */
export function scrambledKey(k: number): string {
  return (Math.imul(k, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
}

export class ChangeFactory {
  private next = 0;

  constructor(private readonly options: ChangeFactoryOptions) {}

  /** Index of the next record this factory will produce (= records produced so far). */
  get produced(): number {
    return this.next;
  }

  /**
   * The next `count` changes. Payloads are fresh random bytes (views into one buffer per batch, which SQLite copies on
   * bind). Random keys look like a content hash (32 hex chars, random order in the unique index: the expensive case);
   * sequential keys look like table + primary key (appended in order).
   */
  batch(count: number): CapturedChange[] {
    const payloads = randomBytes(count * PAYLOAD_BYTES);
    const hashes = this.options.keyStyle === 'random' ? randomBytes(count * 16).toString('hex') : '';
    const changes: CapturedChange[] = new Array<CapturedChange>(count);
    for (let j = 0; j < count; j++) {
      const i = this.next + j;
      const serial = String(i).padStart(10, '0');
      changes[j] = {
        idempotencyKey:
          this.options.keyStyle === 'random'
            ? `sha:${hashes.slice(j * 32, j * 32 + 32)}`
            : `orders:${serial}`,
        orderingKey: `customer-${scrambledKey(i % this.options.orderingKeys)}`,
        businessKey: `INV-${serial}`,
        contentType: CONTENT_TYPE,
        payload: payloads.subarray(j * PAYLOAD_BYTES, (j + 1) * PAYLOAD_BYTES),
      };
    }
    this.next += count;
    return changes;
  }
}
