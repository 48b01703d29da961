// CSV tokenizer: text chunks → rows of fields with the line each starts on; RFC 4180 quoting, every error located.

export interface CsvDialect {
  delimiter: string;
  /** One character, or '' when fields are never quoted. */
  quote: string;
  /** Escapes a quote inside a quoted field; equal to `quote` for doubled quotes (""). */
  escape: string;
  skipEmptyLines: boolean;
  maxRecordBytes: number;
}

/** Receives what the tokenizer finds. `raw` is the row's text without its line break. */
export interface CsvRowSink {
  row(fields: string[], line: number, raw: string): void;
  /** `whole`: `raw` is the entire row, not just its start (an oversized row). */
  bad(line: number, reason: string, raw: string, whole: boolean): void;
  /** True once the sink wants nothing more (the file was stopped). */
  readonly done: boolean;
}

const incomplete = -1;
const LF = 10;
const CR = 13;

/**
 * Lines are counted by LF, so CRLF and LF files number alike. A quote inside an unquoted field is kept as it
 * is (`12" pipe`). A row with a quoting error is rejected and reading resumes at the next line: after the
 * character that broke it, or, for a quote that is never closed, after the row's first line.
 */
export class CsvTokenizer {
  private buf = '';
  /** Line number of buf[0]. */
  private line = 1;
  /** Dropping text up to the next line break, after a row that was too long. */
  private skipping = false;
  /** Index of the next quote character at or after the scan position; -1 when not yet searched. */
  private quoteAt = -1;
  // Results of the last record() call.
  private fields: string[] = [];
  private error: string | undefined;
  private rawEnd = 0;
  private newlines = 0;
  private empty = false;

  constructor(
    private readonly dialect: CsvDialect,
    private readonly sink: CsvRowSink,
  ) {}

  write(text: string): void {
    this.buf = this.buf === '' ? text : this.buf + text;
    this.quoteAt = -1;
    this.scan(false);
  }

  end(): void {
    this.quoteAt = -1;
    this.scan(true);
    this.buf = '';
  }

  private scan(eof: boolean): void {
    const buf = this.buf;
    const max = this.dialect.maxRecordBytes;
    let pos = 0;
    while (pos < buf.length && !this.sink.done) {
      if (this.skipping) {
        const nl = buf.indexOf('\n', pos);
        if (nl === -1) {
          pos = buf.length;
          break;
        }
        this.skipping = false;
        this.line++;
        pos = nl + 1;
        continue;
      }
      const end = this.record(buf, pos, eof);
      if (end === incomplete) {
        if (buf.length - pos <= max) break; // wait for the rest of the row
        pos = this.tooLong(buf, pos);
        continue;
      }
      const line = this.line;
      this.line += this.newlines;
      if (this.rawEnd - pos > max)
        this.sink.bad(line, tooLongReason(max, false), buf.slice(pos, pos + 256), false);
      else if (this.error !== undefined) this.sink.bad(line, this.error, buf.slice(pos, this.rawEnd), true);
      else if (!this.empty) this.sink.row(this.fields, line, buf.slice(pos, this.rawEnd));
      pos = end;
    }
    this.buf = pos >= buf.length ? '' : buf.slice(pos);
  }

  /** Rejects an unfinished row that outgrew the limit and resumes at the line after its first line. */
  private tooLong(buf: string, pos: number): number {
    const nl = buf.indexOf('\n', pos);
    const firstLineEnd = nl === -1 ? buf.length : nl;
    const quoted = this.dialect.quote !== '' && buf.lastIndexOf(this.dialect.quote, firstLineEnd) >= pos;
    this.sink.bad(
      this.line,
      tooLongReason(this.dialect.maxRecordBytes, quoted),
      buf.slice(pos, pos + 256),
      false,
    );
    if (nl === -1) {
      this.skipping = true;
      return buf.length;
    }
    this.line++;
    return nl + 1;
  }

  /** Parses the row at `pos`: returns the index after it (line break included) or `incomplete`. */
  private record(buf: string, pos: number, eof: boolean): number {
    const nl = buf.indexOf('\n', pos);
    if (nl === -1 && !eof) return incomplete;
    const lineEnd = nl === -1 ? buf.length : nl;
    if (this.quoteAt < pos) {
      const at = this.dialect.quote === '' ? -1 : buf.indexOf(this.dialect.quote, pos);
      this.quoteAt = at === -1 ? Infinity : at;
    }
    this.error = undefined;
    this.empty = false;
    if (this.quoteAt >= lineEnd) {
      // Fast path: no quote on this line, so the line is the row.
      const rawEnd = lineEnd > pos && buf.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
      this.rawEnd = rawEnd;
      this.newlines = nl === -1 ? 0 : 1;
      if (rawEnd === pos) {
        if (nl === -1) {
          this.empty = true; // nothing after the last line break
          return buf.length;
        }
        this.empty = this.dialect.skipEmptyLines;
        this.fields = [''];
        return nl + 1;
      }
      this.fields = buf.slice(pos, rawEnd).split(this.dialect.delimiter);
      return nl === -1 ? buf.length : nl + 1;
    }
    return this.quotedRecord(buf, pos, eof);
  }

  /** Slow path: a row with quotes, possibly spanning lines. */
  private quotedRecord(buf: string, pos: number, eof: boolean): number {
    const { delimiter, quote, escape } = this.dialect;
    const d0 = delimiter[0];
    const n = buf.length;
    const fields: string[] = [];
    let i = pos;
    for (;;) {
      if (buf[i] === quote) {
        let value = '';
        let segment = i + 1;
        let j = i + 1;
        for (;;) {
          if (j >= n) {
            if (!eof) return incomplete;
            return this.fail(
              buf,
              pos,
              pos,
              eof,
              `field ${fields.length + 1} opens a quote that is never closed before the end of the file; ` +
                'the lines after this row are read again as rows',
            );
          }
          const c = buf[j];
          if (c === escape && escape !== quote) {
            if (j + 1 >= n && !eof) return incomplete;
            const next = buf[j + 1];
            if (next === quote || next === escape) {
              value += buf.slice(segment, j) + next;
              j += 2;
              segment = j;
            } else {
              j++;
            }
            continue;
          }
          if (c !== quote) {
            j++;
            continue;
          }
          if (j + 1 >= n && !eof) return incomplete;
          if (buf[j + 1] === quote) {
            value += buf.slice(segment, j + 1); // "" inside quotes is one quote
            j += 2;
            segment = j;
            continue;
          }
          value += buf.slice(segment, j);
          fields.push(value);
          const k = j + 1;
          if (k >= n) return this.finish(buf, pos, fields, n, n);
          if (buf.charCodeAt(k) === LF) return this.finish(buf, pos, fields, k, k + 1);
          if (buf.charCodeAt(k) === CR) {
            if (k + 1 >= n) return eof ? this.finish(buf, pos, fields, k, n) : incomplete;
            if (buf.charCodeAt(k + 1) === LF) return this.finish(buf, pos, fields, k, k + 2);
          }
          if (buf.startsWith(delimiter, k)) {
            i = k + delimiter.length;
            break;
          }
          return this.fail(
            buf,
            pos,
            k,
            eof,
            `the closing quote of field ${fields.length} is followed by ${JSON.stringify(buf[k])} instead of ` +
              `the delimiter ${JSON.stringify(delimiter)} or a line break; a quote inside a quoted field must be ` +
              `written twice ("")`,
          );
        }
        continue;
      }
      // Unquoted field: up to the next delimiter or line break; quotes inside it are kept as they are.
      let j = i;
      while (j < n) {
        const c = buf[j];
        if (c === '\n') break;
        if (c === d0 && buf.startsWith(delimiter, j)) break;
        j++;
      }
      if (j >= n) {
        if (!eof) return incomplete;
        fields.push(buf.slice(i, n));
        return this.finish(buf, pos, fields, n, n);
      }
      if (buf[j] === '\n') {
        const valueEnd = j > i && buf.charCodeAt(j - 1) === CR ? j - 1 : j;
        fields.push(buf.slice(i, valueEnd));
        return this.finish(buf, pos, fields, valueEnd, j + 1);
      }
      fields.push(buf.slice(i, j));
      i = j + delimiter.length;
    }
  }

  private finish(buf: string, pos: number, fields: string[], rawEnd: number, end: number): number {
    this.fields = fields;
    this.rawEnd = rawEnd;
    this.newlines = countLineBreaks(buf, pos, end);
    return end;
  }

  /** A broken row: rejected up to the end of the line holding `from`; reading resumes after it. */
  private fail(buf: string, pos: number, from: number, eof: boolean, reason: string): number {
    const nl = buf.indexOf('\n', from);
    if (nl === -1 && !eof) return incomplete;
    const end = nl === -1 ? buf.length : nl + 1;
    this.error = reason;
    this.rawEnd = nl === -1 ? buf.length : nl > pos && buf.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    this.newlines = countLineBreaks(buf, pos, end);
    return end;
  }
}

function tooLongReason(max: number, quoted: boolean): string {
  return (
    `row is longer than maxRecordBytes (${max} characters)` +
    (quoted
      ? '; usually a quote that is never closed, which makes the rest of the file one field; reading resumes ' +
        'at the line after its first line'
      : '; check the delimiter and the line breaks, or raise records.maxRecordBytes')
  );
}

function countLineBreaks(buf: string, from: number, to: number): number {
  let n = 0;
  for (let at = buf.indexOf('\n', from); at !== -1 && at < to; at = buf.indexOf('\n', at + 1)) n++;
  return n;
}
