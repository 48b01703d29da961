// Where outbox encryption meets the outbox: batches sealed before they are stored, leases opened after they are read.
import type { ChangeBatch } from '../../connectors/core/change.js';
import type { PayloadCodec } from './data-keys.js';
import { PayloadKeyError, sealedKeyId } from './payload-codec.js';
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
 * A sealed record leased while encryption is off (turned off after records were stored sealed): refused, so no
 * ciphertext is ever sent to the API; the fix is to turn encryption on again until those records are delivered.
 */
function refuseSealedWithoutCodec(connection: string, lease: Lease): void {
  for (const record of lease.records) {
    const keyId = sealedKeyId(record.payload);
    if (keyId === undefined) continue;
    throw new PayloadKeyError(
      connection,
      keyId,
      `records of connection ${connection} were stored encrypted (data key ${keyId}) but outbox.encryption.enabled ` +
        'is off, so they cannot be opened and are not sent. Fix: set outbox.encryption.enabled: true again (the data ' +
        'keys are still in the secret store) until these records are delivered',
    );
  }
}

/**
 * The lease with plain payloads (plain ones stored before encryption was on pass through). A record whose key is
 * missing, or a sealed record while encryption is off, throws a PayloadKeyError naming the connection and the fix;
 * the records stay leased until the lease expires, then pending again: nothing is lost or sent.
 */
export function openLease(codec: PayloadCodec | undefined, connection: string, lease: Lease): Lease {
  if (lease.records.length === 0) return lease;
  if (!codec) {
    refuseSealedWithoutCodec(connection, lease);
    return lease;
  }
  return {
    ...lease,
    records: lease.records.map((record) => ({ ...record, payload: codec.open(connection, record.payload) })),
  };
}
