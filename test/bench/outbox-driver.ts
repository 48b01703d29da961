// Drives the real Outbox API the way the agent does: open with FULL sync, enqueue with a checkpoint, lease, settle.
import type { CapturedChange, EnqueueResult } from '../../connectors/core/change.js';
import type { Lease, LeaseRequest } from '../../main/outbox/lease.js';
import { Outbox } from '../../main/outbox/outbox.js';
import type { Settlement } from '../../main/outbox/settle.js';

export const CONNECTION = 'bench-connection';
export const LEASE_MAX = 500;
export const LEASE_MAX_BYTES = 10 * 1024 * 1024;

export const leaseRequest: LeaseRequest = {
  connection: CONNECTION,
  max: LEASE_MAX,
  maxBytes: LEASE_MAX_BYTES,
  leaseMs: 60_000,
};

/** Opens an outbox as the agent does by default (synchronous FULL). */
export function openBenchOutbox(file: string): Outbox {
  return Outbox.open(file, { synchronous: 'FULL', busyTimeoutMs: 5_000 });
}

/** One source batch: the changes plus the checkpoint `pos` = index of the last change, in one transaction. */
export function enqueueBatch(outbox: Outbox, changes: CapturedChange[], lastIndex: number): EnqueueResult {
  return outbox.enqueue(CONNECTION, { changes, checkpoints: [{ key: 'pos', value: String(lastIndex) }] });
}

/** What a dispatcher settles after every record of a lease got a 2xx. */
export function deliveredSettlements(lease: Lease, now: number): Settlement[] {
  return lease.records.map((record) => ({
    id: record.id,
    kind: 'delivered',
    receipt: { code: 'HTTP 200', serverId: `srv-${record.id}`, at: now },
    latencyMs: 12,
  }));
}

export class BenchIntegrityError extends Error {
  override name = 'BenchIntegrityError';
}

export function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected)
    throw new BenchIntegrityError(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}
