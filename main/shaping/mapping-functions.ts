// The conversions as a mapping uses them: per-field rules and $functions, with repeated texts converted once.
import type jsonata from 'jsonata';
import type { ConversionRule } from '../config/mapping-config.js';
import { emptyToNull, toBoolean, toDate, toDateTime, toNumber, type BooleanWords } from './conversions.js';
import { remembered } from './remembered.js';

type Json = unknown;

const list = (format: Json): string[] => (Array.isArray(format) ? format.map(String) : [String(format)]);

/** A rule applied to one field's value; throws ConversionError, or an Error for a missing required value. */
export type FieldConversion = (value: Json) => Json;

export function fieldConversion(rule: ConversionRule): FieldConversion {
  const convert = remembered(textConversion(rule));
  return (value) => {
    if (value === null || value === undefined) {
      if (rule.required) throw new Error('is empty (required)');
      return null;
    }
    if (rule.type === 'number' && typeof value === 'number') return value;
    if (rule.type === 'boolean' && typeof value === 'boolean') return value;
    if (typeof value !== 'string')
      throw new Error(`is ${Array.isArray(value) ? 'a list' : typeof value}, not text`);
    const text = emptyToNull(value);
    if (text === null) {
      if (rule.required) throw new Error('is empty (required)');
      return null;
    }
    return convert(text);
  };
}

function textConversion(rule: ConversionRule): (text: string) => Json {
  switch (rule.type) {
    case 'number':
      return (text) => toNumber(text, rule.locale);
    case 'boolean': {
      const words: BooleanWords = {
        ...(rule.true ? { true: rule.true } : {}),
        ...(rule.false ? { false: rule.false } : {}),
      };
      return (text) => toBoolean(text, words);
    }
    case 'date': {
      const formats = list(rule.format);
      return (text) => toDate(text, formats);
    }
    case 'datetime': {
      const formats = list(rule.format);
      return (text) => toDateTime(text, formats, rule.zone);
    }
    case 'text':
      return (text) => text;
  }
}

/** A function argument: undefined and null pass through, values already typed as they are, text converted. */
function textArgument(value: Json, convert: (text: string) => Json, typed: string | undefined): Json {
  if (value === undefined || value === null || (typed !== undefined && typeof value === typed)) return value;
  if (typeof value !== 'string') throw new Error(`expected text, got ${JSON.stringify(value)}`);
  const text = emptyToNull(value);
  return text === null ? null : convert(text);
}

/** A settings argument ('de-DE', 'Europe/Berlin'); absent: the default. */
const setting = (value: Json, fallback: string): string => (typeof value === 'string' ? value : fallback);

const words = (yes: Json, no: Json): BooleanWords => ({
  ...(Array.isArray(yes) ? { true: yes.map(String) } : {}),
  ...(Array.isArray(no) ? { false: no.map(String) } : {}),
});

/** Remembered conversions keyed by their settings ('de-DE', a format, a zone). */
function bySettings(
  make: (settings: string) => (text: string) => Json,
): (settings: string, text: string) => Json {
  const converters = new Map<string, (text: string) => Json>();
  return (settings, text) => {
    let convert = converters.get(settings);
    if (!convert) {
      convert = remembered(make(settings));
      converters.set(settings, convert);
    }
    return convert(text);
  };
}

const number = bySettings((locale) => (text) => toNumber(text, locale));
const date = bySettings((formats) => {
  const parsed = JSON.parse(formats) as string[];
  return (text) => toDate(text, parsed);
});
const datetime = bySettings((settings) => {
  const [zone, ...formats] = JSON.parse(settings) as string[];
  return (text) => toDateTime(text, formats, zone ?? 'UTC');
});

/** The conversions as functions inside the expression: $number(amount, 'de-DE'), $date(d, 'dd.MM.yyyy'), … */
export const mappingFunctions: Record<string, (...args: Json[]) => Json> = {
  number: (value, locale) => textArgument(value, (text) => number(setting(locale, 'en-US'), text), 'number'),
  bool: (value, yes, no) => textArgument(value, (text) => toBoolean(text, words(yes, no)), 'boolean'),
  date: (value, format) => textArgument(value, (text) => date(JSON.stringify(list(format)), text), undefined),
  datetime: (value, format, zone) =>
    textArgument(
      value,
      (text) => datetime(JSON.stringify([setting(zone, 'UTC'), ...list(format)]), text),
      undefined,
    ),
  text: (value) => textArgument(value, (text) => text, undefined),
};

/** Makes the functions available to a compiled JSONata expression. */
export function registerFunctions(expression: jsonata.Expression): void {
  for (const [name, implementation] of Object.entries(mappingFunctions))
    expression.registerFunction(name, implementation);
}
