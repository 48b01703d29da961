// Exchange and routing-key templates of the AMQP destination: {{placeholders}} filled from the record.
import type { OutgoingRecord } from '../../core/destination.js';

const placeholder = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const fieldName = /^(idempotencyKey|businessKey|record(\.[A-Za-z0-9_$-]+)+)$/;
/** AMQP 0-9-1 carries exchange names and routing keys as short strings: at most 255 bytes. */
export const maxNameBytes = 255;

/** Which setting a template belongs to, for messages that name it. */
export type NameField = 'exchange' | 'routingKey';

export class NameTemplateError extends Error {
  constructor(
    readonly field: NameField,
    message: string,
  ) {
    super(message);
    this.name = 'NameTemplateError';
  }
}

/** The placeholders of a template, e.g. ["businessKey", "record.region"]. */
export function templateFields(template: string): string[] {
  return [...template.matchAll(placeholder)].map((m) => m[1] ?? '');
}

/** Problems with a template, for config validation: unknown placeholders and literal text over 255 bytes. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const field of templateFields(template)) {
    if (!fieldName.test(field))
      problems.push(
        `unknown placeholder {{${field}}}: use {{idempotencyKey}}, {{businessKey}} or {{record.<field>}}`,
      );
  }
  const literalBytes = new TextEncoder().encode(template.replace(placeholder, '')).length;
  if (literalBytes > maxNameBytes)
    problems.push(`is ${literalBytes} bytes long without its placeholders; AMQP allows ${maxNameBytes}`);
  return problems;
}

function payloadField(record: OutgoingRecord, path: string[], field: NameField): unknown {
  let value: unknown;
  try {
    value = JSON.parse(record.payload.toString('utf8'));
  } catch {
    throw new NameTemplateError(
      field,
      `${field} uses {{record.${path.join('.')}}} but the record's payload is not JSON (${record.contentType})`,
    );
  }
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function fieldValue(name: string, record: OutgoingRecord, key: string, field: NameField): string {
  if (name === 'idempotencyKey') return key;
  const value =
    name === 'businessKey'
      ? (record.businessKey ?? undefined)
      : payloadField(record, name.split('.').slice(1), field);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const what = value === undefined || value === null || value === '' ? 'no value' : 'a non-text value';
  throw new NameTemplateError(field, `${field} needs {{${name}}}, but this record has ${what} for it`);
}

/**
 * Fills `template` for one record; throws NameTemplateError naming the field when the result is over 255 bytes, or
 * empty although the template was not (an empty exchange is the default exchange only when configured as "").
 */
export function renderName(template: string, record: OutgoingRecord, key: string, field: NameField): string {
  const name = template.replace(placeholder, (_match, name: string) => fieldValue(name, record, key, field));
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > maxNameBytes)
    throw new NameTemplateError(
      field,
      `${field} renders to ${bytes} bytes for this record (from ${JSON.stringify(template)}); AMQP allows ${maxNameBytes}`,
    );
  if (name === '' && template !== '')
    throw new NameTemplateError(
      field,
      `${field} renders to an empty name for this record (from ${JSON.stringify(template)})`,
    );
  return name;
}
