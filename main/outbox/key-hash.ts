// The number the outbox indexes idempotency keys by: small index entries, each match confirmed against the full key.

/**
 * A 53-bit hash of (connection, idempotency key): two 32-bit multiply-xor lanes over the UTF-16 code units, mixed at
 * the end. Not cryptographic and need not be: it only spreads keys over the index, a collision costs one more row
 * compared, and every lookup also compares the full key. Fixed for good: stored outboxes hold these numbers.
 */
export function keyHash(connection: string, idempotencyKey: string): number {
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  const mix = (code: number) => {
    a = Math.imul(a ^ code, 2654435761);
    b = Math.imul(b ^ code, 1597334677);
  };
  for (let i = 0; i < connection.length; i++) mix(connection.charCodeAt(i));
  mix(0); // connection "ab" + key "c" is not connection "a" + key "bc"
  for (let i = 0; i < idempotencyKey.length; i++) mix(idempotencyKey.charCodeAt(i));
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return 4294967296 * (0x1fffff & b) + (a >>> 0);
}

/**
 * The SQL condition "this row holds that key" (SQL expressions; `row` an alias prefix such as `r.`): the hash finds
 * the candidates through records_by_key_hash, connection and the key's text confirm the match.
 */
export function holdsKey(hash: string, connection: string, key: string, row = ''): string {
  return `${row}key_hash = ${hash} AND ${row}connection = ${connection} AND ${row}idempotency_key = ${key}`;
}
