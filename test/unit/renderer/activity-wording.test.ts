// The Activity page in plain words: what happened, to which record or file, why, what next; runs of alike lines folded with real plurals.
import { describe, expect, it } from 'vitest';
import { activityLines } from '../../../renderer/src/activity/activity-lines.js';
import {
  describeLogEvent,
  filesPhrase,
  recordsPhrase,
} from '../../../renderer/src/activity/activity-wording.js';
import type { LogEvent } from '../../../renderer/src/agent-api.js';
import { clock } from '../../../renderer/src/common/format.js';

const t0 = Date.UTC(2026, 11, 2, 9, 42, 1);
const event = (msg: string, data: Record<string, unknown> = {}, extra: Partial<LogEvent> = {}): LogEvent => ({
  at: t0,
  level: 'info',
  msg,
  connection: 'invoices',
  data: { seq: 1, ...data },
  ...extra,
});

/** Nothing a staff member would not understand: no codes of the agent's own, no "(s)" plurals, no raw JSON or epochs. */
function expectPlain(text: string): void {
  expect(text).not.toMatch(/\(s\)|circuit-open|dead-lettered|retryAt|recordIds|[{}]|\b1\d{12}\b|undefined/);
}

describe('one log event in words', () => {
  it('a failed send says which record, why, and when the next try is', () => {
    const retryAt = t0 + 5 * 60_000;
    const text = describeLogEvent(
      event(
        'send failed; will retry',
        { error: 'connection refused by api.example.com:443 (ECONNREFUSED)', retryAt },
        { level: 'warn', recordId: 14 },
      ),
    );
    expect(text).toBe(
      `Could not send record #14: connection refused by api.example.com:443 (ECONNREFUSED). Next try at ${clock(retryAt)}.`,
    );
    expectPlain(text);
  });

  it('a file that was not captured is named, with the problem and what happens next', () => {
    const text = describeLogEvent(
      event('file not captured', {
        file: 'in/invoice-7.csv',
        problem: 'the file is locked by another program',
      }),
    );
    expect(text).toBe(
      'File in/invoice-7.csv was not captured: the file is locked by another program. It stays in the folder and is tried again when it changes or the problem passes.',
    );
  });

  it('a dead letter says what was refused, why and that it waits for a decision', () => {
    const text = describeLogEvent(
      event(
        'dead-lettered',
        { code: 'HTTP 400', error: 'HTTP 400: invalid JSON', recordIds: [3, 4] },
        { level: 'error' },
      ),
    );
    expect(text).toBe(
      'Records #3 and #4 were refused: HTTP 400: invalid JSON. They wait in the dead-letter queue until someone replays or discards them (Dead letters page).',
    );
    expectPlain(text);
    const one = describeLogEvent(
      event('dead-lettered', { code: 'HTTP 422', error: 'key reused' }, { recordId: 9 }),
    );
    expect(one).toBe(
      'Record #9 was refused (HTTP 422): key reused. It waits in the dead-letter queue until someone replays or discards it (Dead letters page).',
    );
  });

  it('a delivered batch counts its records; a single one names it', () => {
    expect(describeLogEvent(event('delivered', { code: 'HTTP 201' }, { recordId: 14 }))).toBe(
      'Delivered record #14 (HTTP 201).',
    );
    expect(describeLogEvent(event('delivered', { code: 'HTTP 200', recordIds: [5, 6, 7, 8, 9] }))).toBe(
      'Delivered 5 records (#5 to #9) (HTTP 200).',
    );
  });

  it('an alert reads as an alert with its explanation, and its end as the end', () => {
    const fields = {
      alert: 'circuit-open',
      subject: 'invoices',
      message: 'the API did not answer 5 times in a row; sending waits 30 s',
    };
    const fired = describeLogEvent(
      event('Delivery to api.example.com is stopped', { ...fields, transition: 'fired' }, { level: 'warn' }),
    );
    expect(fired).toBe(
      'Alert: Delivery to api.example.com is stopped. The API did not answer 5 times in a row; sending waits 30 s.',
    );
    expectPlain(fired);
    expect(
      describeLogEvent(
        event('Delivery to api.example.com is stopped', { ...fields, transition: 'resolved' }),
      ),
    ).toBe('Alert over: Delivery to api.example.com is stopped.');
  });

  it('other lines read as sentences with their reason; prefixes read as words', () => {
    expect(
      describeLogEvent(
        event('config: the edited config file is invalid; the running config stays', {
          reason: 'connections.1.source.path: required',
        }),
      ),
    ).toBe(
      'Config file: the edited config file is invalid; the running config stays: connections.1.source.path: required.',
    );
    expect(describeLogEvent(event('capture resumed'))).toBe('Capture resumed.');
    expect(
      describeLogEvent(
        event('folder rescan failed; trying again at the next one', { err: { message: 'EACCES' } }),
      ),
    ).toBe('Folder rescan failed; trying again at the next one: EACCES.');
  });

  it('counts use real plurals', () => {
    expect(recordsPhrase([1])).toBe('record #1');
    expect(recordsPhrase([2, 1, 3])).toBe('records #1, #2 and #3');
    expect(recordsPhrase([1, 2, 3, 4])).toBe('4 records (#1 to #4)');
    expect(filesPhrase(['a.csv'])).toBe('file a.csv');
    expect(filesPhrase(['a.csv', 'b.csv', 'c.csv', 'd.csv'])).toBe('4 files: a.csv, b.csv and 2 more');
    expect(describeLogEvent(event('file records captured', { file: 'a.csv', rows: 4, rejected: 1 }))).toBe(
      'Captured 3 rows from file a.csv; 1 row rejected and kept as dead letters.',
    );
    expect(describeLogEvent(event('records skipped by the mapping filter', { skipped: 1 }))).toBe(
      "The mapping's filter left out 1 record; it is not sent.",
    );
  });
});

describe('runs of alike events', () => {
  const retry = (id: number, at: number, error = 'connection refused (ECONNREFUSED)') =>
    event('send failed; will retry', { error, retryAt: at + 30_000 }, { level: 'warn', recordId: id, at });

  it('folds repeated failures with the same reason into one line with the count and since when', () => {
    // newest first, as the page shows them
    const events = [retry(14, t0 + 20_000), retry(13, t0 + 10_000), retry(14, t0)];
    const lines = activityLines(events);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      count: 3,
      at: t0 + 20_000,
      since: t0,
      level: 'warn',
      connection: 'invoices',
    });
    expect(lines[0]!.text).toBe(
      `Could not send records #13 and #14: connection refused (ECONNREFUSED) (3 times since ${clock(t0)}). Next try at ${clock(t0 + 50_000)}.`,
    );
  });

  it('folds many deliveries into one count, and keeps apart what differs (reason, connection, kind)', () => {
    const delivered = Array.from({ length: 40 }, (_, i) =>
      event('delivered', { code: 'HTTP 201' }, { recordId: 51 - i, at: t0 + (40 - i) * 1000 }),
    );
    const lines = activityLines([
      ...delivered,
      retry(11, t0 - 1000, 'HTTP 503: busy'),
      retry(11, t0 - 2000),
      event('delivered', {}, { recordId: 10, connection: 'orders', at: t0 - 3000 }),
    ]);
    expect(lines.map((l) => l.text)).toEqual([
      'Delivered 40 records (#12 to #51) (HTTP 201).',
      `Could not send record #11: HTTP 503: busy. Next try at ${clock(t0 + 29_000)}.`,
      `Could not send record #11: connection refused (ECONNREFUSED). Next try at ${clock(t0 + 28_000)}.`,
      'Delivered record #10.',
    ]);
    expect(lines.map((l) => l.count)).toEqual([40, 1, 1, 1]);
    for (const line of lines) expectPlain(line.text);
  });

  it('alike events that are not neighbours stay apart (the order of what happened is kept)', () => {
    const lines = activityLines([
      event('capture resumed', {}, { at: t0 + 2 }),
      event(
        'capture paused (backpressure)',
        { reason: 'the outbox holds 10,000 records (its cap)' },
        { at: t0 + 1 },
      ),
      event('capture resumed', {}, { at: t0 }),
    ]);
    expect(lines.map((l) => l.text)).toEqual([
      'Capture resumed.',
      'Capture paused: the outbox holds 10,000 records (its cap). It resumes by itself once the outbox drains.',
      'Capture resumed.',
    ]);
  });
});
