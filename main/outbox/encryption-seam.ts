// Where outbox encryption meets the outbox: batches sealed before they are stored, leases opened after they are read.
import type { ChangeBatch } from '../../connectors/core/change.js';
import type { PayloadCodec } from './data-keys.js';
import type { Lease } from './lease.js';

/** The batch with every payload sealed; without a codec (encryption off) the batch itself. */
export function sealBatch(
  codec: PayloadCodec | undefined,
  connection: string,
  batch: ChangeBatch,
): ChangeBatch {
  if (!codec || batch.changes.length === 0) return batch;
  return {
    ...batch,
    changes: batch.changes.map((change) => ({ ...change, payload: codec.seal(connection, change.payload) })),
  };
}

/**
 * The lease with plain payloads (plain ones stored before encryption was on pass through). A record whose key is
 * missing throws a PayloadKeyError naming the connection and the fix; the records stay leased until the lease
 * expires, then pending again: nothing is lost or sent.
 */
export function openLease(codec: PayloadCodec | undefined, connection: string, lease: Lease): Lease {
  if (!codec || lease.records.length === 0) return lease;
  return {
    ...lease,
    records: lease.records.map((record) => ({ ...record, payload: codec.open(connection, record.payload) })),
  };
}
