// The API's Deprecation / Sunset announcement in plain words, for status warnings and the alert.
import type { ApiNotice } from '../../connectors/core/destination.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** "the API is deprecated since 2026-01-01 and will stop answering on 2026-06-30 (see https://…)". */
export function apiNoticeWords(notice: ApiNotice, now: number): string {
  const parts: string[] = [];
  if (notice.deprecated)
    parts.push(
      notice.deprecationAt === undefined
        ? 'the API says this endpoint is deprecated'
        : notice.deprecationAt <= now
          ? `the API says this endpoint is deprecated since ${day(notice.deprecationAt)}`
          : `the API says this endpoint will be deprecated on ${day(notice.deprecationAt)}`,
    );
  if (notice.sunsetAt !== undefined)
    parts.push(
      notice.sunsetAt <= now
        ? `its sunset date ${day(notice.sunsetAt)} has passed: it may stop answering any time`
        : `it will stop answering on ${day(notice.sunsetAt)} (Sunset)`,
    );
  const text = parts.join(', and ') || 'the API announces an end of life';
  return notice.link ? `${text} (see ${notice.link})` : text;
}
