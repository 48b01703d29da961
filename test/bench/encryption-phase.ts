// Encryption cost: the same records enqueued, then leased and settled, in a plain and an encrypted outbox (A/B blocks).
import { join } from 'node:path';
import { DataKeys } from '../../main/outbox/data-keys.js';
import type { Outbox } from '../../main/outbox/outbox.js';
import type { SecretStore } from '../../main/secrets/secret-store.js';
import { ChangeFactory } from './change-factory.js';
import { nowMs, yieldToEventLoop } from './measure.js';
import {
  CONNECTION,
  deliveredSettlements,
  enqueueBatch,
  expectEqual,
  leaseRequest,
  openBenchOutbox,
} from './outbox-driver.js';
import type { TempArea } from './temp-area.js';

const BATCH = 1_000;
/** Batches per block: plain and encrypted alternate block by block, so drift in machine load hits both alike. */
const BLOCK_BATCHES = 5;

export interface EncryptionFigures {
  records: number;
  enqueue: { plainRate: number; encryptedRate: number; ratio: number };
  drain: { plainRate: number; encryptedRate: number; ratio: number };
}

function memoryStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    backend: 'file',
    description: 'bench memory store',
    get: (name) => Promise.resolve(values.get(name)),
    set: (name, value) => Promise.resolve(void values.set(name, value)),
    delete: (name) => Promise.resolve(values.delete(name)),
    list: () => Promise.resolve([...values.keys()]),
  };
}

/** Lease (max 500) and settle as delivered until empty; returns the time spent in the outbox calls. */
function drain(outbox: Outbox, expected: number): number {
  let ms = 0;
  let records = 0;
  for (;;) {
    const t0 = nowMs();
    const lease = outbox.lease(leaseRequest);
    if (lease.records.length === 0) {
      ms += nowMs() - t0;
      break;
    }
    outbox.settle(lease.token, deliveredSettlements(lease, Date.now()));
    ms += nowMs() - t0;
    records += lease.records.length;
  }
  expectEqual('records drained', records, expected);
  return ms;
}

/** `records` 1 KiB random payloads into each outbox (FULL sync), in alternating blocks; then each drained. */
export async function runEncryptionPhase(area: TempArea, records: number): Promise<EncryptionFigures> {
  const plain = openBenchOutbox(join(area.dir('encryption-plain'), 'outbox.db'));
  const encrypted = openBenchOutbox(join(area.dir('encryption-sealed'), 'outbox.db'));
  const closeAll = area.track(() => {
    plain.close();
    encrypted.close();
  });
  const keys = new DataKeys(memoryStore());
  await keys.ensure(CONNECTION);
  encrypted.useEncryption(keys);
  const factory = new ChangeFactory({ orderingKeys: 1_000, keyStyle: 'random' });
  const time = { plain: 0, encrypted: 0 };
  const batches = Math.max(1, Math.ceil(records / BATCH));
  for (let b = 0; b < batches; b++) {
    const changes = factory.batch(BATCH);
    const target = Math.floor(b / BLOCK_BATCHES) % 2 === 0 ? 'plain' : 'encrypted';
    // Each batch goes into both, the order swapping per block; only the outbox call is timed.
    for (const which of target === 'plain'
      ? (['plain', 'encrypted'] as const)
      : (['encrypted', 'plain'] as const)) {
      const t0 = nowMs();
      enqueueBatch(which === 'plain' ? plain : encrypted, changes, factory.produced - 1);
      time[which] += nowMs() - t0;
    }
    if (b % BLOCK_BATCHES === 0) await yieldToEventLoop();
  }
  const total = batches * BATCH;
  const plainDrainMs = drain(plain, total);
  const encryptedDrainMs = drain(encrypted, total);
  closeAll();
  area.remove('encryption-plain');
  area.remove('encryption-sealed');
  const rate = (ms: number) => total / (ms / 1000);
  return {
    records: total,
    enqueue: {
      plainRate: rate(time.plain),
      encryptedRate: rate(time.encrypted),
      ratio: time.plain / time.encrypted,
    },
    drain: {
      plainRate: rate(plainDrainMs),
      encryptedRate: rate(encryptedDrainMs),
      ratio: plainDrainMs / encryptedDrainMs,
    },
  };
}
