// Per-connection record counts in one-minute buckets over the last hour, for the UI's throughput charts.

export type ThroughputKind = 'captured' | 'delivered' | 'failed';

export interface ThroughputMinute {
  /** Start of the minute (epoch ms, a multiple of 60,000). */
  at: number;
  captured: number;
  delivered: number;
  failed: number;
}

export interface ThroughputSeries {
  connection: string;
  /** Oldest first, exactly `minutes` entries ending with the current minute; minutes without activity are zero. */
  minutes: ThroughputMinute[];
}

const minuteMs = 60_000;

export class ThroughputHistory {
  /** connection → minute start → counts; only minutes with activity are stored. */
  private readonly buckets = new Map<string, Map<number, ThroughputMinute>>();

  constructor(
    private readonly minutes = 60,
    private readonly clock: () => number = Date.now,
  ) {}

  record(connection: string, kind: ThroughputKind, n: number, at: number = this.clock()): void {
    if (n <= 0) return;
    const start = Math.floor(at / minuteMs) * minuteMs;
    let byMinute = this.buckets.get(connection);
    if (!byMinute) {
      byMinute = new Map();
      this.buckets.set(connection, byMinute);
    }
    let bucket = byMinute.get(start);
    if (!bucket) {
      bucket = { at: start, captured: 0, delivered: 0, failed: 0 };
      byMinute.set(start, bucket);
      this.prune(byMinute, start);
    }
    bucket[kind] += n;
  }

  /** Every connection seen within the window, sorted by id, with zero-filled minutes. */
  series(now: number = this.clock()): ThroughputSeries[] {
    const current = Math.floor(now / minuteMs) * minuteMs;
    const first = current - (this.minutes - 1) * minuteMs;
    const result: ThroughputSeries[] = [];
    for (const [connection, byMinute] of [...this.buckets].sort(([a], [b]) => a.localeCompare(b))) {
      this.prune(byMinute, current);
      if (byMinute.size === 0) {
        this.buckets.delete(connection);
        continue;
      }
      const minutes: ThroughputMinute[] = [];
      for (let at = first; at <= current; at += minuteMs) {
        const bucket = byMinute.get(at);
        minutes.push(bucket ? { ...bucket } : { at, captured: 0, delivered: 0, failed: 0 });
      }
      result.push({ connection, minutes });
    }
    return result;
  }

  /** Drops minutes that fell out of the window ending at `current`. */
  private prune(byMinute: Map<number, ThroughputMinute>, current: number): void {
    const first = current - (this.minutes - 1) * minuteMs;
    for (const at of byMinute.keys()) if (at < first) byMinute.delete(at);
  }
}
