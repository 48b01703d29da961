// NDJSON records: one JSON object per line; a bad line is rejected and reading goes on with the next one.
import type { ParseContext } from './parse-context.js';
import { recordFromJson } from './json-value.js';
import type { RecordParser } from './record-parser.js';

export class NdjsonRecords implements RecordParser {
  private buf = '';
  /** Line number of buf[0]. */
  private line = 1;
  /** Dropping text up to the next line break, after a line that was too long. */
  private skipping = false;

  constructor(private readonly ctx: ParseContext) {}

  write(text: string): void {
    this.buf = this.buf === '' ? text : this.buf + text;
    this.scan(false);
  }

  end(): void {
    this.scan(true);
    this.buf = '';
  }

  private scan(eof: boolean): void {
    const buf = this.buf;
    const max = this.ctx.maxRecordBytes;
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf('\n', pos);
      if (nl === -1 && !eof) {
        if (buf.length - pos > max && !this.skipping) {
          this.ctx.reject(this.line, tooLong(max), buf.slice(pos, pos + 256), false);
          this.skipping = true;
        }
        if (this.skipping) pos = buf.length;
        break;
      }
      const lineEnd = nl === -1 ? buf.length : nl;
      if (this.skipping) {
        this.skipping = false;
      } else if (lineEnd - pos > max) {
        this.ctx.reject(this.line, tooLong(max), buf.slice(pos, pos + 256), false);
      } else {
        this.parseLine(buf.slice(pos, lineEnd));
      }
      if (nl === -1) {
        pos = buf.length;
        break;
      }
      this.line++;
      pos = nl + 1;
    }
    this.buf = pos >= buf.length ? '' : buf.slice(pos);
  }

  private parseLine(text: string): void {
    const raw = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (raw.trim() === '') return; // blank lines are not records
    recordFromJson(this.ctx, this.line, raw, 'line');
  }
}

function tooLong(max: number): string {
  return `line is longer than maxRecordBytes (${max} characters); raise records.maxRecordBytes if it is a record`;
}
