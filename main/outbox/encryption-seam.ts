// Where outbox encryption meets the outbox: batches and re-mapped payloads sealed before they are stored, leases and
// re-map candidates opened after they are read.
import type { ChangeBatch } from '../../connectors/core/change.js';
import type { PayloadCodec } from './data-keys.js';
import { PayloadKeyError, sealedKeyId } from './payload-codec.js';
import type { Lease } from './lease.js';
import type { RemapCandidate, RemapOutcome, RemapSelection } from './remap.js';

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
 * The payload when it is plain. One stored sealed while encryption is now off (turned off after records were stored
 * sealed) throws a PayloadKeyError, so no ciphertext is ever sent to the API or mapped; the fix is to turn encryption
 * on again until those records are delivered.
 */
function plainWithoutCodec(connection: string, payload: Buffer): Buffer {
  const keyId = sealedKeyId(payload);
  if (keyId === undefined) return payload;
  throw new PayloadKeyError(
    connection,
    keyId,
    `records of connection ${connection} were stored encrypted (data key ${keyId}) but outbox.encryption.enabled ` +
      'is off, so they cannot be opened and are not sent. Fix: set outbox.encryption.enabled: true again (the data ' +
      'keys are still in the secret store) until these records are delivered',
  );
}

/**
 * The lease with plain payloads (plain ones stored before encryption was on pass through). A record whose key is
 * missing, or a sealed record while encryption is off, throws a PayloadKeyError naming the connection and the fix;
 * the records stay leased until the lease expires, then pending again: nothing is lost or sent.
 */
export function openLease(codec: PayloadCodec | undefined, connection: string, lease: Lease): Lease {
  if (lease.records.length === 0) return lease;
  if (!codec) {
    for (const record of lease.records) plainWithoutCodec(connection, record.payload);
    return lease;
  }
  return {
    ...lease,
    records: lease.records.map((record) => ({ ...record, payload: codec.open(connection, record.payload) })),
  };
}

/**
 * The selection with every candidate's source payload opened, so the mapping sees what the source sent. A candidate
 * that cannot be opened (its key is missing, or it is sealed while encryption is off) is refused with the reason and
 * the fix: it stays dead and unchanged, and is never mapped from ciphertext.
 */
export function openRemapSelection(
  codec: PayloadCodec | undefined,
  connection: string,
  selection: RemapSelection,
): RemapSelection {
  const candidates: RemapCandidate[] = [];
  const refused = [...selection.refused];
  for (const candidate of selection.candidates) {
    try {
      const payload = codec
        ? codec.open(connection, candidate.payload)
        : plainWithoutCodec(connection, candidate.payload);
      candidates.push({ ...candidate, payload });
    } catch (error) {
      if (!(error instanceof PayloadKeyError)) throw error;
      refused.push({ id: candidate.id, reason: `record ${candidate.id}: ${error.message}` });
    }
  }
  return { ...selection, candidates, refused };
}

/** The outcomes with every new payload sealed, as enqueue seals new records; without a codec the outcomes themselves. */
export function sealRemapOutcomes(
  codec: PayloadCodec | undefined,
  connection: string,
  outcomes: RemapOutcome[],
): RemapOutcome[] {
  if (!codec) return outcomes;
  return outcomes.map((outcome) =>
    outcome.kind === 'mapped' ? { ...outcome, payload: codec.seal(connection, outcome.payload) } : outcome,
  );
}
