// Database values: mapping to JSON for payloads, a lossless codec for checkpoints, and watermark arithmetic.

/** How a driver reports a column, where that changes the JSON mapping. */
export type ColumnKind = 'timestamptz' | 'timestamp' | 'json' | 'other';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** "2024-05-01 12:00:00.5+00" → "2024-05-01T12:00:00.5Z"; zone-less text stays zone-less. */
export function isoTimestamp(text: string, kind: ColumnKind): string {
  let iso = /^\d{4}-\d{2}-\d{2} \d/.test(text) ? `${text.slice(0, 10)}T${text.slice(11)}` : text;
  iso = iso.replace(/(:\d{2}(?:\.\d+)?)\+00(:?00)?$/, '$1Z');
  iso = iso.replace(/(:\d{2}(?:\.\d+)?[+-]\d{2})$/, '$1:00');
  if (kind === 'timestamptz' && /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso)) iso = `${iso}Z`;
  return iso;
}

/** A row value as JSON: bigint as string, dates ISO 8601, buffers base64, JSON columns as they are. */
export function toJson(value: unknown, kind: ColumnKind = 'other'): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') {
    if (kind === 'json') return parseJson(value);
    return kind === 'other' ? value : isoTimestamp(value, kind);
  }
  if (typeof value === 'boolean') return value;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toJson(v));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return typeof value === 'symbol' ? value.toString() : null;
}

function parseJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** A raw database value that survives JSON (for checkpoints) and can be bound again as a query parameter. */
export type StoredValue = null | boolean | number | string | { $bigint: string } | { $base64: string };

export function storeValue(value: unknown): StoredValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : { $bigint: value.toString() };
  }
  if (Buffer.isBuffer(value)) return { $base64: value.toString('base64') };
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

export function loadValue(value: StoredValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if ('$bigint' in value) return BigInt(value.$bigint);
  return Buffer.from(value.$base64, 'base64');
}

/**
 * Microseconds since the epoch of a timestamp watermark value (text with up to 6 fraction digits, a Date, or epoch
 * milliseconds); undefined when it is not a timestamp. Zone-less text is read as UTC (sessions run in UTC).
 */
export function timestampMicros(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime() * 1000;
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'bigint') return Number(value) * 1000;
  if (typeof value !== 'string') return undefined;
  const iso = isoTimestamp(value.trim(), 'timestamptz');
  const match = /^(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!match) return undefined;
  const [, main = '', fraction = '', zone = 'Z'] = match;
  const ms = Date.parse(main.length === 10 ? `${main}T00:00:00${zone}` : `${main}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return ms * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

/** An integer watermark value as a bigint; undefined when it is not an integer. */
export function integerValue(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

/** "YYYY-MM-DDTHH:MM:SS.mmmZ" shaped like `sample` (separator, fraction, zone suffix) so text comparison works. */
export function timestampLike(sample: unknown, micros: number): string | number {
  const ms = Math.floor(micros / 1000);
  if (typeof sample === 'number' || typeof sample === 'bigint') return ms;
  const iso = new Date(ms).toISOString();
  const text = typeof sample === 'string' ? sample.trim() : iso;
  if (text.length === 10) return iso.slice(0, 10);
  const separator = text[10] === ' ' ? ' ' : 'T';
  const fraction = /:\d{2}\.\d/.test(text) ? iso.slice(19, 23) : '';
  const zone = text.endsWith('Z') ? 'Z' : /[+-]\d{2}(:?\d{2})?$/.test(text) ? '+00:00' : '';
  return `${iso.slice(0, 10)}${separator}${iso.slice(11, 19)}${fraction}${zone}`;
}
