// One mapping version made runnable: conversions, the filter and the JSONata expression applied to one JSON record.
import jsonata from 'jsonata';
import type { ConversionRule, MappingConfig } from '../config/mapping-config.js';
import {
  ConversionError,
  emptyToNull,
  toBoolean,
  toDate,
  toDateTime,
  toNumber,
  type BooleanWords,
} from './conversions.js';

/** What the mapping made of one record. */
export type MapOutcome =
  { kind: 'mapped'; payload: Buffer } | { kind: 'skipped' } | { kind: 'failed'; reason: string };

export interface Mapper {
  readonly version: number;
  /** Maps one captured payload; never throws (a record that does not map is a `failed` outcome with its reason). */
  map(payload: Buffer, contentType: string): Promise<MapOutcome>;
}

const jsonContentType = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** True for payloads a mapping can read: application/json and the +json types. */
export const isJsonContentType = (contentType: string) => jsonContentType.test(contentType);

type Json = unknown;

const list = (format: string | string[]) => (Array.isArray(format) ? format : [format]);

/** Applies one rule to a field's value; throws ConversionError (or a plain Error for a missing required value). */
function convertValue(value: Json, rule: ConversionRule): Json {
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
  switch (rule.type) {
    case 'number':
      return toNumber(text, rule.locale);
    case 'boolean':
      return toBoolean(text, {
        ...(rule.true ? { true: rule.true } : {}),
        ...(rule.false ? { false: rule.false } : {}),
      });
    case 'date':
      return toDate(text, list(rule.format));
    case 'datetime':
      return toDateTime(text, list(rule.format), rule.zone);
    case 'text':
      return text;
  }
}

/** A text argument of a mapping function: undefined and null pass through, numbers and booleans as they are. */
function textArgument<T>(value: Json, convert: (text: string) => T, passes: (value: Json) => boolean): Json {
  if (value === undefined || value === null || passes(value)) return value;
  if (typeof value !== 'string') throw new Error(`expected text, got ${JSON.stringify(value)}`);
  const text = emptyToNull(value);
  return text === null ? null : convert(text);
}

/** The conversions as functions inside the expression: $number(amount, 'de-DE'), $date(d, 'dd.MM.yyyy'), … */
function registerFunctions(expression: jsonata.Expression): void {
  const isNumber = (v: Json) => typeof v === 'number';
  const isBoolean = (v: Json) => typeof v === 'boolean';
  expression.registerFunction('number', (value: Json, locale?: string) =>
    textArgument(value, (text) => toNumber(text, locale ?? 'en-US'), isNumber),
  );
  expression.registerFunction('bool', (value: Json, yes?: string[], no?: string[]) => {
    const words: BooleanWords = { ...(yes ? { true: yes } : {}), ...(no ? { false: no } : {}) };
    return textArgument(value, (text) => toBoolean(text, words), isBoolean);
  });
  expression.registerFunction('date', (value: Json, format: string | string[]) =>
    textArgument(
      value,
      (text) => toDate(text, list(format)),
      () => false,
    ),
  );
  expression.registerFunction('datetime', (value: Json, format: string | string[], zone?: string) =>
    textArgument(
      value,
      (text) => toDateTime(text, list(format), zone ?? 'UTC'),
      () => false,
    ),
  );
  expression.registerFunction('text', (value: Json) =>
    textArgument(
      value,
      (text) => text,
      () => false,
    ),
  );
}

/** A JSONata evaluation error in plain words, with where in the expression it happened. */
function evaluationMessage(error: unknown, what: string): string {
  const e = error as { message?: string; position?: number; token?: string };
  const token = e.token && !(error instanceof ConversionError) ? ` (${e.token})` : '';
  const at = e.position === undefined ? '' : ` at position ${e.position}`;
  return `${what}${at}: ${e.message ?? String(error)}${token}`;
}

/** The texts of a record's sensitive fields, taken before conversion, as they can appear in an error message. */
function sensitiveTexts(record: Record<string, Json>, fields: readonly string[]): string[] {
  const texts: string[] = [];
  for (const field of fields) {
    const value = record[field];
    if (value === undefined || value === null || value === '') continue;
    texts.push(typeof value === 'string' ? value : JSON.stringify(value));
  }
  return texts;
}

/** Replaces those texts, quoted as messages quote values, with [redacted]. */
function redact(message: string, texts: readonly string[]): string {
  let out = message;
  for (const text of texts) {
    for (const quoted of [`'${text}'`, JSON.stringify(text)]) out = out.split(quoted).join("'[redacted]'");
  }
  return out;
}

/** Compiles one mapping version (the config was validated, so the expressions parse). */
export function compileMapping(config: Omit<MappingConfig, 'history'>): Mapper {
  const prefix = `mapping v${config.version}`;
  const expression = jsonata(config.expression);
  registerFunctions(expression);
  const filter = config.filter === undefined ? undefined : jsonata(config.filter);
  if (filter) registerFunctions(filter);
  const rules = Object.entries(config.convert ?? {});
  const sensitiveFields = config.sensitive ?? [];
  const sensitive = new Set(sensitiveFields);

  const convertFields = (record: Record<string, Json>): string | undefined => {
    for (const [field, rule] of rules) {
      if (!(field in record) && !rule.required) continue;
      try {
        record[field] = convertValue(record[field], rule);
      } catch (error) {
        const shown = sensitive.has(field) && error instanceof ConversionError;
        const message = shown ? `'[redacted]' is not ${error.rule}` : (error as Error).message;
        return `${prefix}: field ${field}: ${message}`;
      }
    }
    return undefined;
  };

  return {
    version: config.version,
    async map(payload, contentType) {
      if (!isJsonContentType(contentType))
        return {
          kind: 'failed',
          reason: `${prefix}: the payload is ${contentType}, not JSON: only JSON records are mapped (turn on records mode to map CSV rows, or remove the mapping)`,
        };
      let parsed: Json;
      try {
        parsed = JSON.parse(payload.toString('utf8'));
      } catch (error) {
        return {
          kind: 'failed',
          reason: `${prefix}: the payload is not valid JSON (${(error as Error).message})`,
        };
      }
      const record =
        parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
          ? (parsed as Record<string, Json>)
          : undefined;
      const hidden = record ? sensitiveTexts(record, sensitiveFields) : [];
      const redactIn = (message: string) => redact(message, hidden);
      if (record && rules.length > 0) {
        const problem = convertFields(record);
        if (problem) return { kind: 'failed', reason: problem };
      }
      if (filter) {
        let keep: Json;
        try {
          keep = await filter.evaluate(parsed);
        } catch (error) {
          return { kind: 'failed', reason: redactIn(evaluationMessage(error, `${prefix}: filter`)) };
        }
        if (keep === false) return { kind: 'skipped' };
        if (keep !== true)
          return {
            kind: 'failed',
            reason: redactIn(
              `${prefix}: the filter gave ${keep === undefined ? 'nothing' : JSON.stringify(keep)}, not true or false`,
            ),
          };
      }
      let result: Json;
      try {
        result = await expression.evaluate(parsed);
      } catch (error) {
        return { kind: 'failed', reason: redactIn(evaluationMessage(error, `${prefix}: expression`)) };
      }
      if (result === undefined)
        return { kind: 'failed', reason: `${prefix}: the expression gave nothing for this record` };
      return { kind: 'mapped', payload: Buffer.from(JSON.stringify(result)) };
    },
  };
}
