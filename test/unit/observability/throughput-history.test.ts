// ThroughputHistory: one-minute buckets per connection over the last hour, zero-filled, old minutes dropped.
import { describe, expect, it } from 'vitest';
import { ThroughputHistory } from '../../../main/observability/throughput-history.js';

const minute = 60_000;
const t0 = Date.UTC(2026, 10, 21, 9, 0, 0);

describe('ThroughputHistory', () => {
  it('adds counts into the minute they happened in and zero-fills the rest of the hour', () => {
    const history = new ThroughputHistory();
    history.record('invoices', 'captured', 3, t0 + 5_000);
    history.record('invoices', 'captured', 2, t0 + 59_999);
    history.record('invoices', 'delivered', 4, t0 + minute);
    history.record('invoices', 'failed', 1, t0 + minute + 1);
    history.record('invoices', 'failed', 0, t0); // nothing to count

    const [series, ...others] = history.series(t0 + 2 * minute + 30_000);
    expect(others).toEqual([]);
    expect(series!.connection).toBe('invoices');
    expect(series!.minutes).toHaveLength(60);
    expect(series!.minutes.at(-1)).toEqual({ at: t0 + 2 * minute, captured: 0, delivered: 0, failed: 0 });
    expect(series!.minutes.at(-2)).toEqual({ at: t0 + minute, captured: 0, delivered: 4, failed: 1 });
    expect(series!.minutes.at(-3)).toEqual({ at: t0, captured: 5, delivered: 0, failed: 0 });
    expect(series!.minutes[0]!.at).toBe(t0 + 2 * minute - 59 * minute);
    expect(series!.minutes.every((m, i, all) => i === 0 || m.at - all[i - 1]!.at === minute)).toBe(true);
  });

  it('forgets minutes older than the window and connections with nothing left in it', () => {
    let now = t0;
    const history = new ThroughputHistory(60, () => now);
    history.record('old', 'delivered', 7);
    history.record('busy', 'delivered', 1);
    now = t0 + 59 * minute;
    history.record('busy', 'delivered', 2);
    expect(history.series().map((s) => s.connection)).toEqual(['busy', 'old']);
    now = t0 + 60 * minute; // t0's minute falls out of the window
    const series = history.series();
    expect(series.map((s) => s.connection)).toEqual(['busy']);
    expect(series[0]!.minutes.reduce((n, m) => n + m.delivered, 0)).toBe(2);
  });

  it('returns copies: callers cannot change the stored counts', () => {
    const history = new ThroughputHistory(5, () => t0);
    history.record('a', 'captured', 1);
    history.series()[0]!.minutes.at(-1)!.captured = 99;
    expect(history.series()[0]!.minutes.at(-1)!.captured).toBe(1);
    expect(history.series()[0]!.minutes).toHaveLength(5);
  });
});
