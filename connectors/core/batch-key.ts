// The Idempotency-Key of a batch request, derived deterministically from its members' keys.
import { createHash } from 'node:crypto';

/** Same members in the same order → same key; any other membership → a different key. */
export function batchIdempotencyKey(memberKeys: readonly string[]): string {
  const hash = createHash('sha256');
  for (const key of memberKeys) hash.update(key).update('\0');
  return `batch-${memberKeys.length}-${hash.digest('hex')}`;
}
