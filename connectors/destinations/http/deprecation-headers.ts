// Reads an HTTP response's Deprecation (RFC 9745) and Sunset (RFC 8594) headers, with their Link relations.
import type { ApiNotice } from '../../core/destination.js';

type Headers = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim();

/** RFC 9745 `@<epoch seconds>` (a structured field date); the earlier drafts' HTTP-date is accepted too. */
function deprecationDate(value: string): number | undefined {
  const epoch = /^@(-?\d{1,15})$/.exec(value);
  if (epoch) return Number(epoch[1]) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) || !/[a-z]/i.test(value) ? undefined : date;
}

/** The first Link target with rel "deprecation" or "sunset". */
function noticeLink(value: string | undefined): string | undefined {
  if (!value) return undefined;
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?[^";]*\b(?:deprecation|sunset)\b/i.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

/** The notice of one response; null when it carries neither header (the API no longer announces anything). */
export function apiNoticeOf(headers: Headers): ApiNotice | null {
  const deprecation = one(headers['deprecation']);
  const sunset = one(headers['sunset']);
  if (!deprecation && !sunset) return null;
  const notice: ApiNotice = { deprecated: deprecation !== undefined && deprecation !== 'false' };
  const deprecationAt = deprecation ? deprecationDate(deprecation) : undefined;
  if (deprecationAt !== undefined) notice.deprecationAt = deprecationAt;
  const sunsetAt = sunset ? Date.parse(sunset) : Number.NaN;
  if (!Number.isNaN(sunsetAt)) notice.sunsetAt = sunsetAt;
  const link = noticeLink(Array.isArray(headers['link']) ? headers['link'].join(', ') : headers['link']);
  if (link) notice.link = link;
  return notice;
}
