// W3C Trace Context: one traceparent per delivery attempt, with the trace id derived from the idempotency key.
import { createHash, randomBytes } from 'node:crypto';

/**
 * Every attempt of one record (or batch) shares a trace id derived from its Idempotency-Key, so a server's traces of the
 * retries line up with each other and with the record timeline; each attempt gets its own span id.
 */
export function traceparentFor(
  idempotencyKey: string,
  randomSpan: () => Buffer = () => randomBytes(8),
): string {
  const traceId = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  let spanId = randomSpan().toString('hex');
  if (/^0+$/.test(spanId)) spanId = '0000000000000001'; // all-zero span ids are invalid
  return `00-${traceId}-${spanId}-01`;
}

const traceparentPattern = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function isValidTraceparent(value: string): boolean {
  if (!traceparentPattern.test(value)) return false;
  const [, traceId, spanId] = value.split('-');
  return !/^0+$/.test(traceId ?? '') && !/^0+$/.test(spanId ?? '');
}
