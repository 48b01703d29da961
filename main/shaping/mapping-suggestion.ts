// A starting mapping for a CSV or table source: each contract property gets the column whose name is most alike.
import type { ConversionRule } from '../config/mapping-config.js';
import { nameSimilarity, nameWords } from './field-name-similarity.js';

/** A top-level property of the contract's payload schema, as far as a suggestion needs it. */
export interface ContractProperty {
  name: string;
  type?: string;
  format?: string;
  required: boolean;
}

export interface SuggestedField {
  property: string;
  /** The column it is taken from; null when no column is alike enough. */
  column: string | null;
  /** 0..1, how alike the names are. */
  score: number;
}

export interface MappingSuggestion {
  fields: SuggestedField[];
  /** Columns no property took (left out of the expression). */
  unusedColumns: string[];
  expression: string;
  convert: Record<string, ConversionRule>;
}

/** Below this a column is not offered for a property. */
export const minimumScore = 0.5;

const reserved = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** A column as a JSONata path: bare when it is a plain name, else in backquotes. */
export function fieldPath(column: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(column) && !reserved.has(column) ? column : `\`${column}\``;
}

/** "Rechnungsnr" → "invoiceNumber": the canonical words in camelCase, for a mapping without a contract. */
function propertyName(column: string): string {
  const words = nameWords(column);
  if (words.length === 0) return column;
  return words.map((w, i) => (i === 0 ? w : `${w.charAt(0).toUpperCase()}${w.slice(1)}`)).join('');
}

const dateFormats: [RegExp, string][] = [
  [/^\d{4}-\d{2}-\d{2}$/, 'yyyy-MM-dd'],
  [/^\d{2}\.\d{2}\.\d{4}$/, 'dd.MM.yyyy'],
  [/^\d{1,2}\.\d{1,2}\.\d{4}$/, 'd.M.yyyy'],
  [/^\d{2}\/\d{2}\/\d{4}$/, 'MM/dd/yyyy'],
];

const dateTimeFormats: [RegExp, string][] = [
  [/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/, 'dd.MM.yyyy HH:mm'],
  [/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/, 'dd.MM.yyyy HH:mm:ss'],
  [/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/, "yyyy-MM-dd'T'HH:mm:ss"],
  [/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'yyyy-MM-dd HH:mm'],
];

const formatOf = (value: unknown, formats: [RegExp, string][], fallback: string) => {
  const text = typeof value === 'string' ? value.trim() : '';
  return formats.find(([pattern]) => pattern.test(text))?.[1] ?? fallback;
};

/** "1.234,56" and "99,90" read as de-DE; anything else as en-US. */
const localeOf = (value: unknown) =>
  typeof value === 'string' && /^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$/.test(value.trim()) ? 'de-DE' : 'en-US';

/** The conversion a property's type asks for, read from a sample value where the format matters. */
function conversionFor(
  property: ContractProperty,
  sample: unknown,
  zone: string,
): ConversionRule | undefined {
  if (property.type === 'number' || property.type === 'integer')
    return { type: 'number', locale: localeOf(sample), required: false };
  if (property.type === 'boolean') return { type: 'boolean', required: false };
  if (property.type !== 'string') return undefined;
  if (property.format === 'date')
    return { type: 'date', format: formatOf(sample, dateFormats, 'yyyy-MM-dd'), required: false };
  if (property.format === 'date-time')
    return {
      type: 'datetime',
      format: formatOf(sample, dateTimeFormats, "yyyy-MM-dd'T'HH:mm:ss"),
      zone,
      required: false,
    };
  return undefined;
}

/** Each property takes its best column; the best-scoring pairs are settled first, and a column serves one property. */
function assign(columns: readonly string[], properties: readonly ContractProperty[]): SuggestedField[] {
  const pairs = properties
    .flatMap((p) => columns.map((c) => ({ property: p.name, column: c, score: nameSimilarity(c, p.name) })))
    .filter((pair) => pair.score >= minimumScore)
    .sort((a, b) => b.score - a.score);
  const byProperty = new Map<string, SuggestedField>();
  const used = new Set<string>();
  for (const pair of pairs) {
    if (byProperty.has(pair.property) || used.has(pair.column)) continue;
    byProperty.set(pair.property, { ...pair, score: Math.round(pair.score * 100) / 100 });
    used.add(pair.column);
  }
  return properties.map((p) => byProperty.get(p.name) ?? { property: p.name, column: null, score: 0 });
}

/**
 * Suggests a mapping from the columns (and one sample row, for number locales and date formats) to the contract's
 * properties. Without properties every column is kept under a camelCase name. The admin confirms or edits it.
 */
export function suggestMapping(
  columns: readonly string[],
  properties: readonly ContractProperty[],
  sample: Record<string, unknown> = {},
  zone = 'UTC',
): MappingSuggestion {
  const usable = columns.filter((c) => c !== '' && !c.includes('`'));
  const fields: SuggestedField[] =
    properties.length > 0
      ? assign(usable, properties)
      : usable.map((column) => ({ property: propertyName(column), column, score: 1 }));
  const taken = new Set(fields.map((f) => f.column).filter((c): c is string => c !== null));
  const convert: Record<string, ConversionRule> = {};
  const lines: string[] = [];
  for (const field of fields) {
    const key = JSON.stringify(field.property);
    if (field.column === null) {
      lines.push(`  /* ${key}: no column is alike; fill it in */`);
      continue;
    }
    lines.push(`  ${key}: ${fieldPath(field.column)}`);
    const property = properties.find((p) => p.name === field.property);
    const rule = property && conversionFor(property, sample[field.column], zone);
    if (rule) convert[field.column] = rule;
  }
  const body = lines.map((line, i) => {
    const more = lines.slice(i + 1).some((l) => !l.trimStart().startsWith('/*'));
    return line.trimStart().startsWith('/*') || !more ? line : `${line},`;
  });
  return {
    fields,
    unusedColumns: usable.filter((c) => !taken.has(c)),
    expression: `{\n${body.join('\n')}\n}`,
    convert,
  };
}
