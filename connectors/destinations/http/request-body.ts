// Encodes one record, or a batch as a JSON array or NDJSON, and sets aside records a batch cannot carry.
import type { OutgoingRecord, RejectedRecord } from '../../core/destination.js';

export type BatchFormat = 'none' | 'json-array' | 'ndjson';

export interface EncodedBody {
  body: Buffer;
  contentType: string;
  /** The records in the body, in capture order. */
  sent: OutgoingRecord[];
  /** Records that cannot be sent in this format (a permanent problem of the record, not of the server). */
  rejected: RejectedRecord[];
}

const newline = 0x0a;

/** The payload as one line of JSON, or why it cannot be one. */
function jsonPayload(record: OutgoingRecord, format: BatchFormat): Buffer | string {
  const text = record.payload.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return (
      `the payload is not valid JSON (${record.contentType}; ${error instanceof Error ? error.message : String(error)}), ` +
      `and ${format} batches carry JSON records only. Fix: capture JSON records for this destination, or set ` +
      `destination.batch.format to none to send each record as it is, then replay`
    );
  }
  // A payload with a raw newline is re-serialised so that it stays one NDJSON line (same JSON value).
  return record.payload.includes(newline) ? Buffer.from(JSON.stringify(parsed)) : record.payload;
}

export function encodeBody(records: OutgoingRecord[], format: BatchFormat): EncodedBody {
  if (format === 'none') {
    const [record] = records;
    if (!record || records.length > 1)
      throw new Error(`format none sends exactly one record, got ${records.length}`);
    return { body: record.payload, contentType: record.contentType, sent: [record], rejected: [] };
  }
  const sent: OutgoingRecord[] = [];
  const parts: Buffer[] = [];
  const rejected: RejectedRecord[] = [];
  for (const record of records) {
    const payload = jsonPayload(record, format);
    if (typeof payload === 'string') rejected.push({ id: record.id, error: payload });
    else {
      sent.push(record);
      parts.push(payload);
    }
  }
  if (format === 'ndjson') {
    const lines = parts.flatMap((p) => [p, Buffer.from('\n')]);
    return { body: Buffer.concat(lines), contentType: 'application/x-ndjson', sent, rejected };
  }
  const items = parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from(','), p]));
  return {
    body: Buffer.concat([Buffer.from('['), ...items, Buffer.from(']')]),
    contentType: 'application/json',
    sent,
    rejected,
  };
}
