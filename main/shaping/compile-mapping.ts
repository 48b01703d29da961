// One mapping version made runnable: conversions, the filter and the JSONata expression applied to one JSON record.
import { jsonata } from '../config/jsonata-module.js';
import type { MappingConfig } from '../config/mapping-config.js';
import { ConversionError } from './conversions.js';
import { compileFast, needsJsonata } from './fast-expression.js';
import { fieldConversion, mappingFunctions, registerFunctions } from './mapping-functions.js';

/** What the mapping made of one record; a mapped payload comes with the JSON value it serialises (never changed). */
export type MapOutcome =
  | { kind: 'mapped'; payload: Buffer; value: unknown }
  | { kind: 'skipped' }
  | { kind: 'failed'; reason: string };

/**
 * What is mapped: a captured change, or any payload with its content type. `parsed` is the payload's object when the
 * source has it (CapturedChange.parsed): it is read, never changed, and `payload` is then read only when needed.
 */
export interface MapInput {
  readonly payload: Buffer;
  readonly contentType: string;
  readonly parsed?: Readonly<Record<string, unknown>> | undefined;
}

export interface Mapper {
  readonly version: number;
  /**
   * Maps one record; never throws (a record that does not map is a `failed` outcome with its reason). Synchronous
   * when JSONata itself is not needed (no filter, an expression the fast path runs).
   */
  map(input: MapInput): MapOutcome | Promise<MapOutcome>;
}

const mappedValue = (value: unknown): MapOutcome => ({
  kind: 'mapped',
  payload: Buffer.from(JSON.stringify(value)),
  value,
});

const jsonContentType = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** True for payloads a mapping can read: application/json and the +json types. */
export const isJsonContentType = (contentType: string) => jsonContentType.test(contentType);

type Json = unknown;

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
  const expression = jsonata()(config.expression);
  registerFunctions(expression);
  const fast = compileFast(expression, mappingFunctions);
  const filter = config.filter === undefined ? undefined : jsonata()(config.filter);
  if (filter) registerFunctions(filter);
  const rules = Object.entries(config.convert ?? {}).map(
    ([field, rule]) => [field, rule, fieldConversion(rule)] as const,
  );
  const sensitiveFields = config.sensitive ?? [];
  const sensitive = new Set(sensitiveFields);

  const convertFields = (record: Record<string, Json>): string | undefined => {
    for (const [field, rule, convert] of rules) {
      if (!(field in record) && !rule.required) continue;
      try {
        record[field] = convert(record[field]);
      } catch (error) {
        const shown = sensitive.has(field) && error instanceof ConversionError;
        const message = shown ? `'[redacted]' is not ${error.rule}` : (error as Error).message;
        return `${prefix}: field ${field}: ${message}`;
      }
    }
    return undefined;
  };

  /** Redacts the sensitive source values in a reason (the record itself was converted in place meanwhile). */
  const redactIn = (input: MapInput, message: string) =>
    sensitiveFields.length === 0
      ? message
      : redact(
          message,
          sensitiveTexts(JSON.parse(input.payload.toString('utf8')) as Record<string, Json>, sensitiveFields),
        );

  /** The filter, then the expression, as JSONata evaluates them (asynchronously). */
  const evaluate = async (input: MapInput, parsed: Json): Promise<MapOutcome> => {
    if (filter) {
      let keep: Json;
      try {
        keep = await filter.evaluate(parsed);
      } catch (error) {
        return { kind: 'failed', reason: redactIn(input, evaluationMessage(error, `${prefix}: filter`)) };
      }
      if (keep === false) return { kind: 'skipped' };
      if (keep !== true)
        return {
          kind: 'failed',
          reason: redactIn(
            input,
            `${prefix}: the filter gave ${keep === undefined ? 'nothing' : JSON.stringify(keep)}, not true or false`,
          ),
        };
    }
    if (fast && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      try {
        const value = fast(parsed as Record<string, Json>);
        if (value !== needsJsonata) return mappedValue(value);
      } catch {
        // The full evaluation below reports the error as JSONata words it, with its position.
      }
    }
    let result: Json;
    try {
      result = await expression.evaluate(parsed);
    } catch (error) {
      return { kind: 'failed', reason: redactIn(input, evaluationMessage(error, `${prefix}: expression`)) };
    }
    if (result === undefined)
      return { kind: 'failed', reason: `${prefix}: the expression gave nothing for this record` };
    return mappedValue(result);
  };

  return {
    version: config.version,
    map(input) {
      const known = input.parsed;
      if (!isJsonContentType(input.contentType))
        return {
          kind: 'failed',
          reason: `${prefix}: the payload is ${input.contentType}, not JSON: only JSON records are mapped (turn on records mode to map CSV rows, or remove the mapping)`,
        };
      let parsed: Json;
      try {
        // A copy of the source's object: the conversions replace field values in place.
        parsed = known ? { ...known } : JSON.parse(input.payload.toString('utf8'));
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
      if (record && rules.length > 0) {
        const problem = convertFields(record);
        if (problem) return { kind: 'failed', reason: problem };
      }
      if (!filter && fast && record) {
        // The usual case stays synchronous: no promise per record.
        try {
          const value = fast(record);
          if (value !== needsJsonata) return mappedValue(value);
        } catch {
          // The full evaluation reports the error as JSONata words it, with its position.
        }
      }
      return evaluate(input, parsed);
    },
  };
}
