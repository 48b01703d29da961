// Destination URLs with {{placeholders}} filled from the record: its keys or fields of its JSON payload.
import type { OutgoingRecord } from '../../core/destination.js';
import {
  placeholderPattern,
  recordFieldText,
  unknownPlaceholderProblems,
} from '../../core/record-template.js';

export class UrlTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlTemplateError';
  }
}

/**
 * Problems with a template, for config validation: unknown fields, and placeholders in the scheme or host (the host is
 * fixed in config so record data can never redirect records to another server).
 */
export function templateProblems(template: string, extra: readonly string[] = []): string[] {
  const problems = unknownPlaceholderProblems(template, extra);
  const origin = /^[a-z]+:\/\/[^/?#]*/i.exec(template)?.[0] ?? '';
  if (origin.includes('{{'))
    problems.push('placeholders are only allowed in the path and query, not in the host');
  return problems;
}

/** A path segment URL parsers resolve (".", "..", also spelled with %2e): it would move the request to another path. */
const dotSegment = /^(?:\.|%2e){1,2}$/i;

/**
 * Fills the template for one record; every value is percent-encoded, so it cannot add path segments or a query,
 * and a path segment that a value turns into "." or ".." is refused (it would send the record to another path).
 */
export function renderUrl(template: string, record: OutgoingRecord | undefined, apiVersion?: string): string {
  const fill = (part: string) =>
    part.replace(placeholderPattern, (_match, field: string) => {
      if (field === 'apiVersion' && apiVersion !== undefined) return encodeURIComponent(apiVersion);
      if (!record)
        throw new UrlTemplateError(
          `the URL needs {{${field}}}, which has no single value for a batch of records`,
        );
      const text = recordFieldText(
        field,
        record,
        record.idempotencyKey,
        'the URL',
        (m) => new UrlTemplateError(m),
      );
      return encodeURIComponent(text);
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
