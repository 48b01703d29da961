// {{placeholder}} templates filled from a record (its keys or fields of its JSON payload): URLs, topics, names.
import type { OutgoingRecord } from './destination.js';

export const placeholderPattern = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const recordField = /^record(\.[A-Za-z0-9_$-]+)+$/;

/** The placeholders of a template, e.g. ["businessKey", "record.customer.id"]. */
export function templateFields(template: string): string[] {
  return [...template.matchAll(placeholderPattern)].map((m) => m[1] ?? '');
}

/** "unknown placeholder" problems; `extra` names a connector's own placeholders (e.g. "date"). */
export function unknownPlaceholderProblems(template: string, extra: readonly string[] = []): string[] {
  const known = ['idempotencyKey', 'businessKey', ...extra];
  const named = known.map((f) => `{{${f}}}`);
  const list = `${named.slice(0, -1).join(', ')}${named.length > 1 ? ', ' : ''}${named.at(-1)} or {{record.<field>}}`;
  return templateFields(template)
    .filter((field) => !known.includes(field) && !recordField.test(field))
    .map((field) => `unknown placeholder {{${field}}}: use ${list}`);
}

/**
 * The text `field` stands for in one record: `key` for {{idempotencyKey}}, the business key, or a field of the JSON
 * payload. `subject` names the template in errors ("the URL", "routingKey"); `fail` makes the error to throw.
 */
export function recordFieldText(
  field: string,
  record: OutgoingRecord,
  key: string,
  subject: string,
  fail: (message: string) => Error,
): string {
  if (field === 'idempotencyKey') return key;
  let value: unknown;
  if (field === 'businessKey') value = record.businessKey ?? undefined;
  else {
    try {
      value = JSON.parse(record.payload.toString('utf8'));
    } catch {
      throw fail(`${subject} uses {{${field}}} but the record's payload is not JSON (${record.contentType})`);
    }
    for (const part of field.split('.').slice(1)) {
      if (value === null || typeof value !== 'object') {
        value = undefined;
        break;
      }
      value = (value as Record<string, unknown>)[part];
    }
  }
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const what = value === undefined || value === null || value === '' ? 'no value' : 'a non-text value';
  throw fail(`${subject} needs {{${field}}}, but this record has ${what} for it`);
}
