// Timeline details in plain words: requests as operation + target + size, answers pretty, retry times as dates.
import { describe, expect, it } from 'vitest';
import { dateTime } from '../../../renderer/src/common/format.js';
import { eventDetailParts } from '../../../renderer/src/records/event-detail.js';

describe('timeline event details', () => {
  it('reads an attempt: code, latency, reason, request, retry time', () => {
    const retryAt = Date.UTC(2026, 11, 2, 9, 30, 5);
    expect(
      eventDetailParts({
        code: 'HTTP 503',
        latencyMs: 42,
        error: 'HTTP 503: busy',
        request: { operation: 'POST', target: 'https://api.example.com/v1', bytes: 2048, records: 3 },
        retryAt,
      }),
    ).toEqual([
      'HTTP 503',
      '42 ms',
      'HTTP 503: busy',
      'sent POST https://api.example.com/v1 · 2.0 KiB, 3 records',
      `next try ${dateTime(retryAt)}`,
    ]);
  });

  it('reads details written before outcomes were transport-neutral', () => {
    expect(
      eventDetailParts({
        status: 400,
        request: { method: 'POST', url: 'https://x.example/in', bytes: 10, records: 1 },
        response: { status: 400, headers: {}, bodyExcerpt: '{"error":"bad"}' },
      }),
    ).toEqual(['HTTP 400', 'sent POST https://x.example/in · 10 B', 'answer HTTP 400 · { "error": "bad" }']);
    expect(eventDetailParts({ receipt: { code: 'HTTP 201', serverId: 'inv-7', at: 1 } })).toEqual([
      'receipt HTTP 201, server id inv-7',
    ]);
  });

  it('writes dates year first with the zone, never 02/12/2026', () => {
    expect(dateTime(Date.UTC(2026, 11, 2, 9, 30, 5))).toMatch(
      /^2026-12-0[12] \d{2}:\d{2}:05 UTC[+-]\d{2}:\d{2}$/,
    );
  });
});
