// The broker benchmark's records: small JSON payloads over many ordering keys, as outbox changes and as raw messages.
import type { CapturedChange } from '../../connectors/core/change.js';

export interface BrokerBenchMessage {
  key: string;
  contentType: string;
  payload: Buffer;
}

/** `count` records (about 100 bytes each) spread round-robin over `orderingKeys` keys; `run` keeps keys apart per run. */
export function benchChanges(run: string, count: number, orderingKeys: number): CapturedChange[] {
  return Array.from({ length: count }, (_, i) => ({
    idempotencyKey: `${run}:${i}`,
    orderingKey: `k${i % orderingKeys}`,
    contentType: 'application/json',
    payload: Buffer.from(JSON.stringify({ id: i, run, site: 'bench', amount: 1234.5, note: 'x'.repeat(40) })),
  }));
}

export function asMessages(changes: CapturedChange[]): BrokerBenchMessage[] {
  return changes.map((c) => ({ key: c.idempotencyKey, contentType: c.contentType, payload: c.payload }));
}
