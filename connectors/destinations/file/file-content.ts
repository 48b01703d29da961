// The bytes of one file: a single record as it is, or a batch as NDJSON with the records no JSON line can carry set aside.
import type { OutgoingRecord, RejectedRecord } from '../../core/destination.js';

export type FileFormat = 'none' | 'ndjson';

export interface FileContent {
  bytes: Buffer;
  /** The records in the file, in capture order. */
  written: OutgoingRecord[];
  /** Records that are not valid JSON and so cannot be an NDJSON line (a permanent problem of the record). */
  rejected: RejectedRecord[];
}

const newline = 0x0a;

/** The payload as one line of JSON, or why it cannot be one. */
function jsonLine(record: OutgoingRecord): Buffer | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.payload.toString('utf8'));
  } catch (error) {
    return (
      `the payload is not valid JSON (${record.contentType}; ${error instanceof Error ? error.message : String(error)}), ` +
      'and ndjson batch files carry JSON records only. Fix: capture JSON records for this destination, or set ' +
      'destination.batch.format to none to write each record as it is, then replay'
    );
  }
  // A payload with a raw newline is re-serialised so that it stays one line (same JSON value).
  return record.payload.includes(newline) ? Buffer.from(JSON.stringify(parsed)) : record.payload;
}

export function fileContent(records: OutgoingRecord[], format: FileFormat): FileContent {
  if (format === 'none') {
    const [record] = records;
    if (!record || records.length > 1)
      throw new Error(`format none writes exactly one record, got ${records.length}`);
    return { bytes: record.payload, written: [record], rejected: [] };
  }
  const written: OutgoingRecord[] = [];
  const lines: Buffer[] = [];
  const rejected: RejectedRecord[] = [];
  for (const record of records) {
    const line = jsonLine(record);
    if (typeof line === 'string') rejected.push({ id: record.id, error: line });
    else {
      written.push(record);
      lines.push(line, Buffer.from('\n'));
    }
  }
  return { bytes: Buffer.concat(lines), written, rejected };
}
