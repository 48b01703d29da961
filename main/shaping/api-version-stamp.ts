// Stores the destination's declared API version with each record, so a queued record keeps the version it was made for.
import type { ChangeBatch } from '../../connectors/core/change.js';
import { apiVersionField } from '../outbox/record.js';

/** The API version a destination declares (HTTP `apiVersion.value`), if any. */
export function declaredApiVersion(destination: object): string | undefined {
  const declared = (destination as { apiVersion?: { value?: unknown } }).apiVersion?.value;
  return typeof declared === 'string' ? declared : undefined;
}

/** The batch with `apiVersion` in each change's origin (changes the source rejected are never sent: left as they are). */
export function stampApiVersion(batch: ChangeBatch, version: string): ChangeBatch {
  return {
    ...batch,
    changes: batch.changes.map((change) =>
      change.rejected ? change : { ...change, origin: { ...change.origin, [apiVersionField]: version } },
    ),
  };
}
