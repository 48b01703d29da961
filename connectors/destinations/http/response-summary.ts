// Reduces an HTTP response to what the outbox keeps: status, a subset of headers, a body excerpt and server ids.
import type { OutgoingRecord } from '../../core/destination.js';
import type { HttpResponseSummary } from './classify.js';

const keptResponseHeaders = [
  'content-type',
  'retry-after',
  'ratelimit-reset',
  'ratelimit-remaining',
  'location',
  'x-request-id',
  'idempotent-replayed',
  'date',
];

const excerptBytes = 512;

export function summarizeResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): HttpResponseSummary {
  const kept: Record<string, string> = {};
  for (const name of keptResponseHeaders) {
    const value = headers[name];
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status, headers: kept, bodyExcerpt: body.subarray(0, excerptBytes).toString('utf8') };
}

function idOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { id, data } = value as { id?: unknown; data?: { id?: unknown } };
  const found = id ?? data?.id;
  return typeof found === 'string' || typeof found === 'number' ? String(found) : undefined;
}

/**
 * The server's ids for the records sent: a JSON array answer with one entry per record maps member by member;
 * otherwise one id (body `id` / `data.id`, else the Location header) stands for every record in the request.
 */
export function serverIdsFrom(
  body: Buffer,
  headers: Record<string, string>,
  sent: OutgoingRecord[],
): Record<number, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const items = Array.isArray(parsed)
    ? parsed
    : Array.isArray((parsed as { items?: unknown } | undefined)?.items)
      ? (parsed as { items: unknown[] }).items
      : undefined;
  if (items && items.length === sent.length && sent.length > 0) {
    const ids: Record<number, string> = {};
    sent.forEach((record, i) => {
      const id = idOf(items[i]);
      if (id !== undefined) ids[record.id] = id;
    });
    return ids;
  }
  const single = idOf(parsed) ?? headers.location;
  if (single === undefined) return undefined;
  return Object.fromEntries(sent.map((r) => [r.id, single]));
}
