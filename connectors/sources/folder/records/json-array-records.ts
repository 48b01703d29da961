// JSON array records: a scanner finds each top-level element (with its line), JSON.parse reads one element at a time.
import { recordFromJson } from './json-value.js';
import type { ParseContext } from './parse-context.js';
import type { RecordParser } from './record-parser.js';

const BEFORE = 0; // before the opening '['
const VALUE = 1; // inside the array, expecting an element or ']'
const ELEMENT = 2; // inside an element
const AFTER = 3; // after the closing ']'

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/**
 * Only the current element is held in memory. An element that is not valid JSON or not an object is rejected
 * and the next one is read; a break in the array itself (missing '[', stray '}', content after ']', a
 * truncated file) is reported once and ends the file.
 */
export class JsonArrayRecords implements RecordParser {
  private buf = '';
  private pos = 0;
  /** Line number at `pos`. */
  private line = 1;
  private phase = BEFORE;
  private afterComma = false;
  // The element being scanned.
  private start = 0;
  private startLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The element outgrew maxRecordBytes: already rejected, scanned to its end without being kept. */
  private oversized = false;

  constructor(private readonly ctx: ParseContext) {}

  write(text: string): void {
    this.buf = this.buf === '' ? text : this.buf + text;
    this.scan();
    if (this.ctx.stopped) return;
    if (this.phase === ELEMENT && !this.oversized && this.buf.length - this.start > this.ctx.maxRecordBytes) {
      this.ctx.reject(
        this.startLine,
        `element is larger than maxRecordBytes (${this.ctx.maxRecordBytes} characters); it was skipped, ` +
          'raise records.maxRecordBytes if it is a record',
        this.buf.slice(this.start, this.start + 256),
        false,
      );
      this.oversized = true;
    }
    if (this.phase === ELEMENT && !this.oversized) {
      this.buf = this.buf.slice(this.start);
      this.pos -= this.start;
      this.start = 0;
    } else {
      this.buf = '';
      this.pos = 0;
    }
  }

  end(): void {
    if (this.ctx.stopped) return;
    if (this.phase === ELEMENT) {
      this.ctx.stop(
        this.startLine,
        `the file ends inside the element that starts on line ${this.startLine} (truncated?)`,
        this.oversized ? '' : this.buf.slice(this.start),
      );
    } else if (this.phase === VALUE) {
      this.ctx.stop(this.line, "the file ends before the array's closing ']' (truncated?)", '');
    }
  }

  private scan(): void {
    const buf = this.buf;
    const n = buf.length;
    let i = this.pos;
    let line = this.line;
    let { depth, inString, escaped } = this;
    while (i < n) {
      const c = buf.charCodeAt(i);
      if (this.phase === ELEMENT) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
          else if (c === LF) line++;
        } else if (c === QUOTE) {
          inString = true;
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          depth++;
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          if (depth > 0) {
            depth--;
          } else if (c === CLOSE_BRACKET) {
            this.finishElement(buf, i);
            this.phase = AFTER;
          } else {
            this.ctx.stop(
              line,
              `unexpected '}' on line ${line}: the element that starts on line ${this.startLine} closes more ` +
                'brackets than it opens',
              buf.slice(this.start, i + 1),
            );
            return;
          }
        } else if (c === COMMA && depth === 0) {
          this.finishElement(buf, i);
          this.phase = VALUE;
          this.afterComma = true;
        } else if (c === LF) {
          line++;
        }
        i++;
        continue;
      }
      if (c === LF) line++;
      if (c === LF || c === SPACE || c === TAB || c === CR) {
        i++;
        continue;
      }
      if (this.phase === BEFORE) {
        if (c !== OPEN_BRACKET) {
          this.ctx.stop(line, notAnArray(buf[i] ?? ''), buf.slice(i, i + 256));
          return;
        }
        this.phase = VALUE;
      } else if (this.phase === VALUE) {
        if (c === CLOSE_BRACKET && this.afterComma) {
          this.ctx.stop(line, `trailing comma before the closing ']' on line ${line}`, '');
          return;
        }
        if (c === COMMA) {
          this.ctx.stop(line, `expected an element before ',' on line ${line}`, buf.slice(i, i + 256));
          return;
        }
        if (c === CLOSE_BRACKET) {
          this.phase = AFTER;
        } else {
          this.phase = ELEMENT;
          this.start = i;
          this.startLine = line;
          this.oversized = false;
          depth = 0;
          inString = false;
          escaped = false;
          continue; // scan this character as part of the element
        }
      } else {
        this.ctx.stop(
          line,
          `unexpected ${JSON.stringify(buf[i])} on line ${line} after the array's closing ']'`,
          buf.slice(i, i + 256),
        );
        return;
      }
      i++;
    }
    this.pos = i;
    this.line = line;
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
  }

  private finishElement(buf: string, end: number): void {
    if (this.oversized) return; // rejected when it outgrew the limit
    const raw = buf.slice(this.start, end).trimEnd();
    const line = this.startLine;
    const max = this.ctx.maxRecordBytes;
    if (raw.length > max) {
      this.ctx.reject(line, `element is larger than maxRecordBytes (${max} characters)`, raw);
      return;
    }
    recordFromJson(this.ctx, line, raw, 'element');
  }
}

function notAnArray(first: string): string {
  if (first === '{') {
    return (
      'the file holds a JSON object, not an array: json-array expects [ {...}, {...} ]; ' +
      'for one object per line use format "ndjson"'
    );
  }
  return `the file does not start with a JSON array ('[') but with ${JSON.stringify(first)}`;
}
