// One JSON text (an array element or an NDJSON line) to a record, or a rejection that names what it was instead.
import type { ParseContext } from './parse-context.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a non-object JSON value is named in a rejection reason. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Checks the text for junk bytes, parses it and keeps it as a record when it is a JSON object; otherwise rejects it.
 * `noun` names the piece in the reason ("element", "line").
 */
export function recordFromJson(ctx: ParseContext, line: number, raw: string, noun: string): void {
  const flags = ctx.flags;
  const suspicious = flags.nul || flags.invalid ? ctx.badText(raw) : undefined;
  if (suspicious !== undefined) {
    ctx.reject(line, `${noun} ${suspicious}`, raw);
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.reject(line, `${noun} is not valid JSON: ${message}`, raw);
    return;
  }
  if (isObject(value)) ctx.record(line, value, raw);
  else ctx.reject(line, `${noun} is ${kindOf(value)}, not a JSON object`, raw);
}
