// XML records (saxes): every element at the record path becomes an object; a well-formedness error ends the file.
import type * as Saxes from 'saxes';
import { loadOnFirstUse } from '../../../../main/shared/load-on-first-use.js';
import type { ParseContext } from './parse-context.js';
import type { XmlFormatOptions } from './record-format-schema.js';
import type { RecordParser } from './record-parser.js';
import { localName, XmlValueBuilder } from './xml-value-builder.js';

/** saxes is required by the first XML file read, not by every agent at start. */
const saxes = loadOnFirstUse<typeof Saxes>('saxes');

const knownEntities =
  '(only &amp; &lt; &gt; &quot; &apos; and numeric references like &#160; are understood; entities declared ' +
  'in a DTD are not)';

/** Encodings that are all ASCII in the first bytes, so a declaration naming one is readable in any of them. */
const asciiLabels = new Set(['us-ascii', 'ascii']);

/**
 * Names are matched by local name (namespace prefixes ignored). An undefined entity inside a record rejects
 * that record only; any other error means the document structure can no longer be trusted and ends the file.
 */
export class XmlRecords implements RecordParser {
  private readonly parser = new (saxes().SaxesParser)<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  private readonly path: string[];
  /** Local names of the open elements, from the root. */
  private readonly stack: string[] = [];
  private record: XmlValueBuilder | undefined;
  private recordLine = 0;
  /** Line where the tag being opened starts. */
  private tagLine = 0;
  private recordProblem: string | undefined;
  /**
   * A record that just closed, reported at the next event: saxes closes the open element before it reports a
   * mismatched close tag (`<Invoice>…</Invoce>`), and such a record must not count as read.
   */
  private closed: (() => void) | undefined;
  /** Characters given to saxes so far, and where its last event was: saxes holds what lies between in memory. */
  private written = 0;
  private lastEventAt = 0;

  constructor(
    options: XmlFormatOptions,
    private readonly ctx: ParseContext,
  ) {
    this.path = options.recordPath.split('/').filter((part) => part !== '');
    const parser = this.parser;
    parser.on('xmldecl', (decl) => this.checkDeclaredEncoding(decl.encoding));
    parser.on('opentagstart', () => {
      this.progressed();
      this.flush();
      this.tagLine = parser.line;
    });
    parser.on('opentag', (tag) => {
      this.progressed();
      this.open(tag);
    });
    parser.on('closetag', () => {
      this.progressed();
      this.close();
    });
    parser.on('text', (text) => {
      this.progressed();
      this.text(text);
    });
    parser.on('cdata', (text) => {
      this.progressed();
      this.text(text);
    });
    parser.on('error', (error) => this.error(error));
    // Every event ends a piece of text saxes held in memory (a text node, attribute value, comment, …).
    for (const event of ['attribute', 'comment', 'processinginstruction', 'doctype'] as const) {
      parser.on(event, () => this.progressed());
    }
  }

  write(text: string): void {
    if (!this.ctx.stopped) {
      this.parser.write(text);
      this.written += text.length;
      this.checkUnbroken();
    }
    this.flush();
  }

  end(): void {
    if (!this.ctx.stopped) this.parser.close();
    this.flush();
  }

  private progressed(): void {
    this.lastEventAt = this.parser.position;
  }

  /**
   * saxes keeps a text node, attribute value or comment whole in memory until it ends: a piece longer than
   * maxRecordBytes ends the file here, while streaming, so memory stays bounded whatever the file holds.
   */
  private checkUnbroken(): void {
    const max = this.ctx.maxRecordBytes;
    if (this.written - this.lastEventAt <= max) return;
    const line = this.parser.line;
    this.ctx.stop(
      line,
      `XML text on line ${line} runs for more than maxRecordBytes (${max} characters) without a tag: a text ` +
        'node, attribute value, comment or CDATA section that long cannot be read; raise records.maxRecordBytes ' +
        'if such a value belongs in a record',
      '',
    );
  }

  private flush(): void {
    const report = this.closed;
    this.closed = undefined;
    if (report !== undefined && !this.ctx.stopped) report();
  }

  private open(tag: Saxes.SaxesTagPlain): void {
    if (this.ctx.stopped) return;
    const name = localName(tag.name);
    this.stack.push(name);
    if (this.record !== undefined) {
      this.record.open(name, tag.attributes);
    } else if (this.atRecordPath()) {
      this.record = new XmlValueBuilder(this.ctx.maxRecordBytes);
      this.record.open(name, tag.attributes);
      this.recordLine = this.tagLine;
      this.recordProblem = undefined;
    }
  }

  private close(): void {
    this.flush();
    if (this.ctx.stopped) return;
    this.stack.pop();
    const record = this.record;
    if (record === undefined) return;
    const value = record.close();
    if (value === undefined) return; // an element inside the record closed
    this.record = undefined;
    const line = this.recordLine;
    const problem = this.recordProblem;
    this.closed = () => this.report(record, value, line, problem);
  }

  private report(
    record: XmlValueBuilder,
    value: Record<string, unknown>,
    line: number,
    problem: string | undefined,
  ): void {
    const max = this.ctx.maxRecordBytes;
    if (record.oversized) {
      const reason = `record is larger than maxRecordBytes (${max} characters); raise records.maxRecordBytes if it is a record`;
      this.ctx.reject(line, reason, record.excerpt(), false);
      return;
    }
    if (problem !== undefined) {
      this.ctx.reject(line, problem, record.excerpt(), false);
      return;
    }
    const flags = this.ctx.flags;
    const suspicious = flags.nul || flags.invalid ? this.ctx.badText(JSON.stringify(value)) : undefined;
    if (suspicious !== undefined) this.ctx.reject(line, `record ${suspicious}`, record.excerpt(), false);
    else this.ctx.record(line, value);
  }

  private text(text: string): void {
    this.flush();
    if (!this.ctx.stopped) this.record?.text(text);
  }

  private error(error: Error): void {
    if (this.ctx.stopped) return;
    const { line, column } = this.parser;
    const message = error.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    const closedByMistake = this.closed !== undefined && message.includes('close tag');
    if (!closedByMistake) this.flush();
    if (/entity/i.test(message)) {
      // The structure is intact: only the record holding the entity is affected.
      if (this.record !== undefined) {
        this.recordProblem ??= `${message} on line ${line}, column ${column} ${knownEntities}`;
      }
      return;
    }
    const unread = this.record !== undefined || closedByMistake;
    const open = unread ? `; the record that starts on line ${this.recordLine} was not read` : '';
    this.closed = undefined;
    this.ctx.stop(line, `XML is not well-formed on line ${line}, column ${column}: ${message}${open}`, '');
  }

  private atRecordPath(): boolean {
    const { stack, path } = this;
    if (stack.length !== path.length) return false;
    for (let i = 0; i < path.length; i++) {
      if (path[i] !== '*' && path[i] !== stack[i]) return false;
    }
    return true;
  }

  private checkDeclaredEncoding(declared: string | undefined): void {
    if (declared === undefined || asciiLabels.has(declared.toLowerCase())) return;
    const actual = this.ctx.flags.encoding;
    let normalized: string;
    try {
      normalized = new TextDecoder(declared).encoding;
    } catch {
      normalized = declared.toLowerCase();
    }
    if (normalized === new TextDecoder(actual).encoding) return;
    this.ctx.stop(
      1,
      `the XML declaration says encoding="${declared}" but the file is read as ${actual}; ` +
        `set records.encoding to match (supported: utf-8, windows-1252, latin1, utf-16le)`,
      '',
    );
  }
}
