// CSV records: header handling, column counts and text checks on top of the tokenizer's rows.
import { CsvTokenizer, type CsvRowSink } from './csv-tokenizer.js';
import type { ParseContext } from './parse-context.js';
import type { CsvFormatOptions } from './record-format-schema.js';
import type { RecordParser } from './record-parser.js';
import { setOwn } from './set-own.js';

/** A field without a header name (empty header cell, or an extra field with relaxColumnCount) is named so. */
const unnamed = (position: number) => `column${position + 1}`;

export class CsvRecords implements RecordParser, CsvRowSink {
  private readonly tokenizer: CsvTokenizer;
  private columns: string[] | undefined;
  /** Whether every column name can be assigned directly (none is "__proto__"). */
  private plainNames = true;
  private expectedFields: number | undefined;

  constructor(
    private readonly options: CsvFormatOptions,
    private readonly ctx: ParseContext,
  ) {
    if (Array.isArray(options.header)) this.useColumns(options.header);
    this.tokenizer = new CsvTokenizer(
      {
        delimiter: options.delimiter,
        quote: options.quote,
        escape: options.escape ?? options.quote,
        skipEmptyLines: options.skipEmptyLines,
        maxRecordBytes: ctx.maxRecordBytes,
      },
      this,
    );
  }

  get done(): boolean {
    return this.ctx.stopped;
  }

  write(text: string): void {
    this.tokenizer.write(text);
  }

  end(): void {
    this.tokenizer.end();
  }

  row(fields: string[], line: number, raw: string): void {
    const flags = this.ctx.flags;
    const suspicious = flags.nul || flags.invalid ? this.ctx.badText(raw) : undefined;
    if (this.awaitingHeader()) {
      if (suspicious !== undefined) this.ctx.stop(line, `the header row ${suspicious}`, raw);
      else this.readHeader(fields, line, raw);
      return;
    }
    if (suspicious !== undefined) {
      this.ctx.reject(line, `row ${suspicious}`, raw);
      return;
    }
    const columns = this.columns;
    if (columns === undefined) {
      this.expectedFields ??= fields.length;
      if (fields.length !== this.expectedFields && !this.options.relaxColumnCount) {
        this.ctx.reject(line, fieldCountReason(fields.length, this.expectedFields, 'the first row'), raw);
      } else {
        this.ctx.record(line, fields, raw);
      }
      return;
    }
    if (fields.length !== columns.length && !this.options.relaxColumnCount) {
      this.ctx.reject(line, fieldCountReason(fields.length, columns.length, 'the header'), raw);
      return;
    }
    this.ctx.record(line, this.toObject(columns, fields), raw);
  }

  bad(line: number, reason: string, raw: string, whole: boolean): void {
    if (this.awaitingHeader()) this.ctx.stop(line, `the header row is malformed: ${reason}`, raw);
    else this.ctx.reject(line, reason, raw, whole);
  }

  private awaitingHeader(): boolean {
    return this.options.header === true && this.columns === undefined;
  }

  private readHeader(fields: string[], line: number, raw: string): void {
    const names = fields.map((name, position) => (name === '' ? unnamed(position) : name));
    const seen = new Map<string, number>();
    for (const [position, name] of names.entries()) {
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        this.ctx.stop(
          line,
          `the header names column ${JSON.stringify(name)} twice (columns ${earlier + 1} and ${position + 1}), ` +
            'so one would overwrite the other; rename one in the export, or set records.header to a list of names',
          raw,
        );
        return;
      }
      seen.set(name, position);
    }
    this.useColumns(names);
  }

  private useColumns(names: string[]): void {
    this.columns = names;
    this.plainNames = !names.includes('__proto__');
  }

  private toObject(columns: string[], fields: string[]): Record<string, unknown> {
    const value: Record<string, unknown> = {};
    const named = Math.min(columns.length, fields.length);
    if (this.plainNames) {
      for (let i = 0; i < named; i++) value[columns[i] as string] = fields[i];
    } else {
      for (let i = 0; i < named; i++) setOwn(value, columns[i] as string, fields[i]);
    }
    for (let i = columns.length; i < fields.length; i++) value[unnamed(i)] = fields[i];
    return value;
  }
}

function fieldCountReason(got: number, expected: number, what: string): string {
  return (
    `row has ${got} field${got === 1 ? '' : 's'} but ${what} has ${expected}; check the delimiter and the ` +
    'quoting of this row, or set records.relaxColumnCount to accept it'
  );
}
