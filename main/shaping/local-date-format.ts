// Fast parsing of plain numeric date formats (dd.MM.yyyy HH:mm): a regex per format instead of luxon's general parser.
import { DateTime } from 'luxon';

/** The numeric fields a simple format can hold. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

type Field = keyof LocalParts;

/** The tokens handled here (as luxon reads them); a format with any other letter goes to luxon itself. */
const tokens: [string, Field, string][] = [
  ['yyyy', 'year', '(\\d{4})'],
  ['MM', 'month', '(\\d{2})'],
  ['M', 'month', '(\\d{1,2})'],
  ['dd', 'day', '(\\d{2})'],
  ['d', 'day', '(\\d{1,2})'],
  ['HH', 'hour', '(\\d{2})'],
  ['H', 'hour', '(\\d{1,2})'],
  ['mm', 'minute', '(\\d{2})'],
  ['ss', 'second', '(\\d{2})'],
  ['SSS', 'millisecond', '(\\d{3})'],
];

export type LocalParser = (text: string) => LocalParts | undefined;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : (monthDays[month - 1] ?? 0);
}

/** A parser for `format`, or undefined when the format needs luxon (names, offsets, quotes, two-digit years …). */
export function simpleParser(format: string): LocalParser | undefined {
  let pattern = '';
  const fields: Field[] = [];
  const segments: Segment[] = [];
  let rest = format;
  while (rest.length > 0) {
    const token = tokens.find(([t]) => rest.startsWith(t) && rest[t.length] !== t[0]);
    if (token) {
      if (fields.includes(token[1])) return undefined;
      pattern += token[2];
      fields.push(token[1]);
      segments.push({ token: token[0], field: token[1] });
      rest = rest.slice(token[0].length);
    } else if (/[A-Za-z']/.test(rest[0] ?? '')) return undefined;
    else {
      pattern += escape(rest[0] ?? '');
      segments.push({ literal: rest.charCodeAt(0) });
      rest = rest.slice(1);
    }
  }
  if (!fields.includes('year') || !fields.includes('month') || !fields.includes('day')) return undefined;
  const fixed = fixedWidthReader(segments);
  const regex = fixed ? undefined : new RegExp(`^${pattern}$`);
  return (text) => {
    let parts: LocalParts | undefined;
    if (fixed) parts = fixed(text);
    else {
      const match = regex?.exec(text);
      if (!match) return undefined;
      parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };
      for (let index = 0; index < fields.length; index++)
        parts[fields[index] as Field] = Number(match[index + 1]);
    }
    return parts && isValid(parts) ? parts : undefined;
  };
}

function isValid(parts: LocalParts): boolean {
  return (
    parts.month >= 1 &&
    parts.month <= 12 &&
    parts.day >= 1 &&
    parts.day <= daysIn(parts.year, parts.month) &&
    parts.hour <= 23 &&
    parts.minute <= 59 &&
    parts.second <= 59
  );
}

/** A format as simpleParser reads it: tokens (with the field they fill) and literal characters (UTF-16 codes). */
type Segment = { token: string; field: Field } | { literal: number };

/** Widths of the fixed-width tokens: their digits are read by position, with no regex match (a format's usual case). */
const widths: Partial<Record<string, number>> = { yyyy: 4, MM: 2, dd: 2, HH: 2, mm: 2, ss: 2, SSS: 3 };

/**
 * For a format made only of fixed-width tokens and literal characters (dd.MM.yyyy HH:mm), a reader that takes the
 * digits by position (the text must have the format's exact length); undefined for formats with d, M or H.
 */
function fixedWidthReader(
  segments: readonly Segment[],
): ((text: string) => LocalParts | undefined) | undefined {
  const steps: ({ field: Field; at: number; width: number } | { literal: number; at: number })[] = [];
  let at = 0;
  for (const segment of segments) {
    if ('literal' in segment) {
      steps.push({ literal: segment.literal, at });
      at += 1;
      continue;
    }
    const width = widths[segment.token];
    if (width === undefined) return undefined;
    steps.push({ field: segment.field, at, width });
    at += width;
  }
  const length = at;
  return (text) => {
    if (text.length !== length) return undefined;
    const parts: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };
    for (const step of steps) {
      if ('literal' in step) {
        if (text.charCodeAt(step.at) !== step.literal) return undefined;
        continue;
      }
      let value = 0;
      for (let i = step.at; i < step.at + step.width; i++) {
        const digit = text.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) return undefined;
        value = value * 10 + digit;
      }
      parts[step.field] = value;
    }
    return parts;
  };
}

/** '00' … '99', so writing a time needs no padStart. */
const twoDigits = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const pad = (n: number) => twoDigits[n] ?? String(n);

export const isoDate = (p: LocalParts) => `${String(p.year).padStart(4, '0')}-${pad(p.month)}-${pad(p.day)}`;

/** Per zone, the offset suffix ('+02:00') of each local hour, keyed yyyymmddhh as a number (no key string per call). */
const offsets = new Map<string, Map<number, string>>();
const maxOffsets = 10_000;

/**
 * The local time in the zone as luxon writes it ('2026-03-31T14:05:00.000+02:00'). luxon decides the offset once per
 * zone and hour (cached); hours it shifts (the spring-forward gap) are left to luxon every time.
 */
export function isoDateTime(p: LocalParts, zone: string): string {
  const local = `${isoDate(p)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${String(p.millisecond).padStart(3, '0')}`;
  const hourKey = ((p.year * 100 + p.month) * 100 + p.day) * 100 + p.hour;
  let zoneOffsets = offsets.get(zone);
  const suffix = zoneOffsets?.get(hourKey);
  if (suffix !== undefined) return local + suffix;
  const iso = DateTime.fromObject(p, { zone }).toISO() ?? '';
  if (!iso.startsWith(local.slice(0, 14))) return iso; // shifted by a gap: not cacheable by the hour
  if (!zoneOffsets || zoneOffsets.size >= maxOffsets) {
    zoneOffsets = new Map();
    offsets.set(zone, zoneOffsets);
  }
  zoneOffsets.set(hourKey, iso.slice(local.length));
  return iso;
}
