// What a records-mode parser yields per file: parsed records and rejected rows, each with its position.

/** A parsed record: an object (CSV with a header, JSON, XML) or the fields of a CSV row without a header. */
export type RecordValue = Record<string, unknown> | string[];

export interface ParsedRecord {
  /** 0-based position among the file's records; rejected rows count too, so positions never shift. */
  index: number;
  /** 1-based line where the record starts; 0 when unknown. */
  line: number;
  value: RecordValue;
  /** The record's source text (CSV row, NDJSON line, JSON array element); absent for XML. */
  raw?: string;
}

export interface RejectedRow {
  /** The position the row would have had as a record (see ParsedRecord.index). */
  index: number;
  /** 1-based line where the problem is; 0 when unknown. */
  line: number;
  /** What is wrong and, where it helps, how to fix it. */
  reason: string;
  /** The start of the offending text, at most 200 characters, control characters escaped. */
  excerpt: string;
  /** The whole text of the offending record, when it was read whole (not for oversized or truncated ones). */
  raw?: string;
}

export type RecordEvent = { kind: 'record'; record: ParsedRecord } | { kind: 'rejected'; row: RejectedRow };

const excerptLength = 200;
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A short, printable excerpt: control characters (NUL, bell, …) become \xNN so binary junk stays readable. */
export function excerptOf(text: string): string {
  const printable = text
    .slice(0, excerptLength)
    .replace(controlCharacters, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return printable.length > excerptLength || text.length > excerptLength
    ? `${printable.slice(0, excerptLength - 1)}…`
    : printable;
}
