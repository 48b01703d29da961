// Destination URLs with {{placeholders}} filled from the record: its keys or fields of its JSON payload.
import type { OutgoingRecord } from '../../core/destination.js';

const placeholder = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const fieldName = /^(idempotencyKey|businessKey|record(\.[A-Za-z0-9_$-]+)+)$/;

export class UrlTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlTemplateError';
  }
}

/** The placeholders of a template, e.g. ["businessKey", "record.customer.id"]. */
export function templateFields(template: string): string[] {
  return [...template.matchAll(placeholder)].map((m) => m[1] ?? '');
}

/**
 * Problems with a template, for config validation: unknown fields, and placeholders in the scheme or host (the host is
 * fixed in config so record data can never redirect records to another server).
 */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const field of templateFields(template)) {
    if (!fieldName.test(field))
      problems.push(
        `unknown placeholder {{${field}}}: use {{idempotencyKey}}, {{businessKey}} or {{record.<field>}}`,
      );
  }
  const origin = /^[a-z]+:\/\/[^/?#]*/i.exec(template)?.[0] ?? '';
  if (origin.includes('{{'))
    problems.push('placeholders are only allowed in the path and query, not in the host');
  return problems;
}

function payloadField(record: OutgoingRecord, path: string[]): unknown {
  let value: unknown;
  try {
    value = JSON.parse(record.payload.toString('utf8'));
  } catch {
    throw new UrlTemplateError(
      `the URL uses {{record.${path.join('.')}}} but the record's payload is not JSON (${record.contentType})`,
    );
  }
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function fieldValue(record: OutgoingRecord, field: string): string {
  let value: unknown;
  if (field === 'idempotencyKey') value = record.idempotencyKey;
  else if (field === 'businessKey') value = record.businessKey ?? undefined;
  else value = payloadField(record, field.split('.').slice(1));
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UrlTemplateError(
    `the URL needs {{${field}}}, but this record has ${value === undefined || value === null || value === '' ? 'no value' : 'a non-text value'} for it`,
  );
}

/** A path segment URL parsers resolve (".", "..", also spelled with %2e): it would move the request to another path. */
const dotSegment = /^(?:\.|%2e){1,2}$/i;

/**
 * Fills the template for one record; every value is percent-encoded, so it cannot add path segments or a query,
 * and a path segment that a value turns into "." or ".." is refused (it would send the record to another path).
 */
export function renderUrl(template: string, record: OutgoingRecord | undefined): string {
  const fill = (part: string) =>
    part.replace(placeholder, (_match, field: string) => {
      if (!record)
        throw new UrlTemplateError(
          `the URL needs {{${field}}}, which has no single value for a batch of records`,
        );
      return encodeURIComponent(fieldValue(record, field));
    });
  const queryAt = template.search(/[?#]/);
  const path = queryAt === -1 ? template : template.slice(0, queryAt);
  const rest = queryAt === -1 ? '' : template.slice(queryAt);
  const segments = path.split('/').map((segment) => {
    const filled = fill(segment);
    if (filled !== segment && dotSegment.test(filled)) {
      throw new UrlTemplateError(
        `the URL path segment "${segment}" becomes "${filled}" for this record, which would send it to another ` +
          'path: a record value used in the path must not be "." or ".."',
      );
    }
    return filled;
  });
  return segments.join('/') + fill(rest);
}
