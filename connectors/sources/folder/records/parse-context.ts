// Shared state of one file's parse: record numbering, the events produced so far, and what the decoder saw.
import { excerptOf, type RecordEvent, type RecordValue } from './record-event.js';
import type { RecordEncoding } from './record-format-schema.js';

/** Facts the decoder learns about the bytes; rows are only checked for them once they were seen at all. */
export interface TextFlags {
  /** The encoding in use: the configured one, or the one a byte order mark announced. */
  encoding: RecordEncoding;
  /** The bytes held a NUL (0x00): binary data in a text file. */
  nul: boolean;
  /** Some bytes were not valid in the encoding and were decoded as U+FFFD. */
  invalid: boolean;
}

export class ParseContext {
  readonly flags: TextFlags;
  /** Once set, the file cannot be read further; the last event explains why. */
  stopped = false;
  private events: RecordEvent[] = [];
  private nextIndex = 0;

  constructor(
    encoding: RecordEncoding,
    readonly maxRecordBytes: number,
  ) {
    this.flags = { encoding, nul: false, invalid: false };
  }

  /** How many records and rejected rows were produced so far. */
  get count(): number {
    return this.nextIndex;
  }

  record(line: number, value: RecordValue, raw?: string): void {
    this.events.push({ kind: 'record', record: { index: this.nextIndex++, line, value, raw } });
  }

  /** `whole`: `text` is the entire offending record (kept so it can be replayed), not just its start. */
  reject(line: number, reason: string, text: string, whole = true): void {
    this.events.push({
      kind: 'rejected',
      row: {
        index: this.nextIndex++,
        line,
        reason,
        excerpt: excerptOf(text),
        ...(whole ? { raw: text } : {}),
      },
    });
  }

  /** Rejects and ends the file: for breaks after which no later record can be trusted. */
  stop(line: number, reason: string, text: string): void {
    if (this.stopped) return;
    this.reject(line, `${reason}; stopped reading this file (${this.readSoFar()})`, text, false);
    this.stopped = true;
  }

  /** Why a record's text cannot be trusted (binary or undecodable bytes), or undefined when it is fine. */
  badText(text: string): string | undefined {
    if (this.flags.nul && text.includes('\u0000')) {
      return 'contains NUL bytes: binary data, not text';
    }
    if (this.flags.invalid && text.includes('\uFFFD')) {
      return (
        `contains bytes that are not valid ${this.flags.encoding} (decoded as U+FFFD); if the file comes from ` +
        `Windows software, set records.encoding to "windows-1252"`
      );
    }
    return undefined;
  }

  take(): RecordEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  private readSoFar(): string {
    const n = this.nextIndex;
    if (n === 0) return 'nothing before this point';
    return n === 1 ? 'the 1 record before it was read' : `the ${n} records before it were read`;
  }
}
