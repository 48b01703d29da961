// Builds one XML record's value: attributes as @name, child elements as properties (lists when repeated), #text.
import { setOwn } from './set-own.js';

interface Frame {
  name: string;
  value: Record<string, unknown>;
  text: string;
  hasChildren: boolean;
  hasAttributes: boolean;
}

const previewLength = 256;

/**
 * A leaf element (no attributes, no children) becomes its text, exactly as written; an element with attributes
 * or children becomes an object whose `#text` holds its trimmed text when there is any. Namespace declarations
 * are left out and attribute names lose their prefix, as element names do.
 */
export class XmlValueBuilder {
  /** The record outgrew the limit: its content was dropped, only its end is still tracked. */
  oversized = false;
  private frames: Frame[] = [];
  private size = 0;
  /** Open elements of an oversized record. */
  private openWhileOversized = 0;
  private preview = '';

  constructor(private readonly maxChars: number) {}

  open(name: string, attributes: Record<string, string>): void {
    this.addPreview(`<${name}>`);
    if (this.oversized) {
      this.openWhileOversized++;
      return;
    }
    const value: Record<string, unknown> = {};
    let hasAttributes = false;
    let chars = name.length;
    for (const [qualified, text] of Object.entries(attributes)) {
      if (qualified === 'xmlns' || qualified.startsWith('xmlns:')) continue;
      setOwn(value, `@${localName(qualified)}`, text);
      hasAttributes = true;
      chars += qualified.length + text.length;
    }
    this.frames.push({ name, value, text: '', hasChildren: false, hasAttributes });
    this.grow(chars);
  }

  text(text: string): void {
    this.addPreview(text);
    const top = this.frames.at(-1);
    if (this.oversized || top === undefined) return;
    top.text += text;
    this.grow(text.length);
  }

  /** Closes the innermost open element; returns the record's value once the record element itself closed. */
  close(): Record<string, unknown> | undefined {
    if (this.oversized) {
      this.openWhileOversized--;
      return this.openWhileOversized === 0 ? {} : undefined;
    }
    const frame = this.frames.pop();
    if (frame === undefined) return undefined;
    const value = finish(frame);
    const parent = this.frames.at(-1);
    if (parent === undefined) return typeof value === 'string' ? { '#text': value } : value;
    parent.hasChildren = true;
    const existing = parent.value[frame.name];
    if (!Object.hasOwn(parent.value, frame.name)) setOwn(parent.value, frame.name, value);
    else if (Array.isArray(existing)) existing.push(value);
    else setOwn(parent.value, frame.name, [existing, value]);
    return undefined;
  }

  /** The start of the record as read, for a rejection's excerpt. */
  excerpt(): string {
    return this.preview;
  }

  private grow(chars: number): void {
    this.size += chars;
    if (this.size <= this.maxChars || this.oversized) return;
    this.oversized = true;
    this.openWhileOversized = this.frames.length;
    this.frames = [];
  }

  private addPreview(text: string): void {
    if (this.preview.length < previewLength)
      this.preview += text.slice(0, previewLength - this.preview.length);
  }
}

function finish(frame: Frame): Record<string, unknown> | string {
  if (!frame.hasChildren && !frame.hasAttributes) return frame.text;
  const text = frame.text.trim();
  if (text !== '') setOwn(frame.value, '#text', text);
  return frame.value;
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}
