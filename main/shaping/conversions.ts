// Typed conversions for office data (locale numbers, yes/no flags, local dates): one rule turns one text into a value.
import { DateTime } from 'luxon';
import {
  isoDate,
  isoDateTime,
  simpleParser,
  type LocalParser,
  type LocalParts,
} from './local-date-format.js';

/** A conversion that could not be made: the message names the value and the rule, never the field (callers add it). */
export class ConversionError extends Error {
  constructor(
    readonly value: string,
    readonly rule: string,
  ) {
    super(`'${value}' is not ${rule}`);
    this.name = 'ConversionError';
  }
}

const defaultTrue = ['j', 'ja', 'y', 'yes', 'true', '1', 'x', 'wahr', 'oui', 'si'];
const defaultFalse = ['n', 'nein', 'no', 'false', '0', 'falsch', 'non'];

interface Separators {
  group: string;
  decimal: string;
}

const separatorCache = new Map<string, Separators>();

/** The group and decimal separators of a locale, as Intl formats numbers there (de-DE: '.' and ','). */
export function separatorsOf(locale: string): Separators {
  const cached = separatorCache.get(locale);
  if (cached) return cached;
  const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
  const separators = {
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
  separatorCache.set(locale, separators);
  return separators;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const patternCache = new Map<string, RegExp>();

/** Grouped (1.234.567,5) or ungrouped (1234567,5) digits with the locale's separators, an optional sign. */
function numberPattern(locale: string): RegExp {
  const cached = patternCache.get(locale);
  if (cached) return cached;
  const { group, decimal } = separatorsOf(locale);
  // Spaces used as group separators (fr-FR's narrow no-break space) are also accepted as plain or no-break spaces.
  const groups = /\s/.test(group) ? '[\\s\\u00a0\\u202f]' : escape(group);
  const pattern = new RegExp(`^[+-]?(?:\\d{1,3}(?:${groups}\\d{3})+|\\d+)(?:${escape(decimal)}\\d+)?$`, 'u');
  patternCache.set(locale, pattern);
  return pattern;
}

/** '1.234,56' in de-DE, '1,234.56' in en-US → 1234.56; anything else (two decimal marks, letters) is refused. */
export function toNumber(text: string, locale: string): number {
  const value = text.trim();
  if (!numberPattern(locale).test(value)) throw new ConversionError(text, `a number in ${locale}`);
  const { group, decimal } = separatorsOf(locale);
  const ungrouped = /\s/.test(group) ? value.replace(/[\s\u00a0\u202f]/g, '') : value.replaceAll(group, '');
  return Number(decimal === '.' ? ungrouped : ungrouped.replace(decimal, '.'));
}

export interface BooleanWords {
  true?: readonly string[];
  false?: readonly string[];
}

/** J/N, yes/no, 1/0, true/false (case-insensitive) or the configured words → true or false. */
export function toBoolean(text: string, words: BooleanWords = {}): boolean {
  const value = text.trim().toLowerCase();
  const yes = (words.true ?? defaultTrue).map((w) => w.toLowerCase());
  const no = (words.false ?? defaultFalse).map((w) => w.toLowerCase());
  if (yes.includes(value)) return true;
  if (no.includes(value)) return false;
  throw new ConversionError(text, `a yes/no value (true: ${yes.join('/')}; false: ${no.join('/')})`);
}

const formatList = (formats: readonly string[]) => formats.map((f) => `'${f}'`).join(' or ');

/** Per format: the fast parser, or null when the format needs luxon. */
const parsers = new Map<string, LocalParser | null>();

function parserOf(format: string): LocalParser | null {
  let parser = parsers.get(format);
  if (parser === undefined) {
    parser = simpleParser(format) ?? null;
    parsers.set(format, parser);
  }
  return parser;
}

/** The first format the text matches, parsed the fast way where the format allows it, else by luxon. */
function parseLocal(
  text: string,
  formats: readonly string[],
  zone: string,
): { parts: LocalParts } | { luxon: DateTime } | undefined {
  const value = text.trim();
  for (const format of formats) {
    const parser = parserOf(format);
    if (parser) {
      const parts = parser(value);
      if (parts) return { parts };
      continue;
    }
    const parsed = DateTime.fromFormat(value, format, { zone, setZone: true });
    if (parsed.isValid) return { luxon: parsed };
  }
  return undefined;
}

/** A calendar date in one of the formats ('dd.MM.yyyy') → ISO 8601 date '2026-03-31' (no time, no zone). */
export function toDate(text: string, formats: readonly string[]): string {
  const parsed = parseLocal(text, formats, 'UTC');
  if (!parsed) throw new ConversionError(text, `a date in the format ${formatList(formats)}`);
  return 'parts' in parsed ? isoDate(parsed.parts) : (parsed.luxon.toISODate() ?? '');
}

/**
 * A local date and time in one of the formats, read in the time zone ('Europe/Berlin', unless the text carries its
 * own offset) → ISO 8601 with the offset, '2026-03-31T14:05:00.000+02:00'.
 */
export function toDateTime(text: string, formats: readonly string[], zone: string): string {
  const parsed = parseLocal(text, formats, zone);
  if (!parsed)
    throw new ConversionError(text, `a date and time in the format ${formatList(formats)} (${zone})`);
  return 'parts' in parsed ? isoDateTime(parsed.parts, zone) : (parsed.luxon.toISO() ?? '');
}

/** Trimmed text; empty (or blank) text becomes null. */
export function emptyToNull(text: string): string | null {
  const value = text.trim();
  return value === '' ? null : value;
}
