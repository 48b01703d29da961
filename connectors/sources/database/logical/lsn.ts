// Log sequence numbers ("16/B374D848"): comparison and the checkpoint codec.

/** The LSN as one number, for comparing. */
export function lsnValue(lsn: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!match) throw new Error(`"${lsn}" is not a PostgreSQL LSN (like 16/B374D848)`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** The same LSN in PostgreSQL's canonical spelling (upper-case hex, no leading zeros). */
export function lsnText(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}

export function lsnAtOrBelow(lsn: string, limit: string): boolean {
  return lsnValue(lsn) <= lsnValue(limit);
}
