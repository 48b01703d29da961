// Forecasts when the outbox reaches its limits (disk floor, size cap, pending caps) at its net growth over a window.

/** One look at the outbox: what it holds undelivered (records in minus records out) at `at`. */
export interface GrowthSample {
  at: number;
  pendingRecords: number;
  pendingBytes: number;
}

/** Where the outbox stands against its limits now. */
export interface ForecastLimits {
  maxPendingRecords: number;
  maxPendingBytes: number;
  /** Free bytes on the data disk now, and the floor below which capture pauses. */
  freeDiskBytes: number;
  minFreeDiskBytes: number;
  /** The outbox file's size now and its cap (outbox.maxDatabaseBytes), when one is set. */
  fileBytes?: number;
  maxDatabaseBytes?: number;
}

export type ForecastLimit = 'disk-floor' | 'outbox-size' | 'pending-records' | 'pending-bytes';

export interface DiskForecast {
  /** The limit reached first at the current net growth. */
  limit: ForecastLimit;
  /** In how many ms, and when (epoch ms). */
  inMs: number;
  at: number;
  /** Net growth over the window, per hour. */
  bytesPerHour: number;
  recordsPerHour: number;
  /** e.g. "disk floor reached in about 3 h at the current net growth (+120.0 MB/h)". */
  message: string;
}

const minute = 60_000;
const hour = 60 * minute;

/** Least-squares slope of value over time (per ms): robust to the jitter of single samples. */
export function slopePerMs(points: readonly { at: number; value: number }[]): number {
  if (points.length < 2) return 0;
  const meanAt = points.reduce((s, p) => s + p.at, 0) / points.length;
  const meanValue = points.reduce((s, p) => s + p.value, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.at - meanAt) * (p.value - meanValue);
    den += (p.at - meanAt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** "about 3 h", "about 40 min", "about 2 days", "under a minute". */
export function aboutDuration(ms: number): string {
  if (ms < minute) return 'under a minute';
  if (ms < 2 * hour) return `about ${Math.round(ms / minute)} min`;
  if (ms < 2 * 24 * hour) return `about ${Math.round(ms / hour)} h`;
  return `about ${Math.round(ms / (24 * hour))} days`;
}

const limitWords: Record<ForecastLimit, string> = {
  'disk-floor': 'disk floor',
  'outbox-size': 'outbox size limit',
  'pending-records': 'pending record cap',
  'pending-bytes': 'pending bytes cap',
};

const mbPerHour = (bytesPerHour: number) =>
  `${bytesPerHour >= 0 ? '+' : ''}${(bytesPerHour / 1024 / 1024).toFixed(1)} MB/h`;

/**
 * Keeps the samples of the last `windowMs` and forecasts from their trend. No forecast while the outbox is not
 * growing, or before the samples span `minSpanMs` (a single burst is no trend).
 */
export class GrowthWindow {
  private samples: GrowthSample[] = [];

  constructor(
    readonly windowMs = 15 * minute,
    readonly minSpanMs = minute,
  ) {}

  add(sample: GrowthSample): void {
    const last = this.samples.at(-1);
    if (last && sample.at < last.at) this.samples = []; // the clock went back: start over
    this.samples.push(sample);
    const from = sample.at - this.windowMs;
    while (this.samples.length > 2 && this.samples[0]!.at < from) this.samples.shift();
  }

  /** Net growth per hour over the window (negative while the outbox drains). */
  growth(): { bytesPerHour: number; recordsPerHour: number } | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < this.minSpanMs) return undefined;
    return {
      bytesPerHour: slopePerMs(this.samples.map((s) => ({ at: s.at, value: s.pendingBytes }))) * hour,
      recordsPerHour: slopePerMs(this.samples.map((s) => ({ at: s.at, value: s.pendingRecords }))) * hour,
    };
  }

  forecast(limits: ForecastLimits, now: number): DiskForecast | undefined {
    const growth = this.growth();
    const latest = this.samples.at(-1);
    if (!growth || !latest) return undefined;
    const candidates: [ForecastLimit, number, number][] = [
      ['disk-floor', limits.freeDiskBytes - limits.minFreeDiskBytes, growth.bytesPerHour],
      ['pending-records', limits.maxPendingRecords - latest.pendingRecords, growth.recordsPerHour],
      ['pending-bytes', limits.maxPendingBytes - latest.pendingBytes, growth.bytesPerHour],
    ];
    if (limits.maxDatabaseBytes !== undefined && limits.fileBytes !== undefined)
      candidates.push(['outbox-size', limits.maxDatabaseBytes - limits.fileBytes, growth.bytesPerHour]);
    let soonest: { limit: ForecastLimit; inMs: number } | undefined;
    for (const [limit, room, perHour] of candidates) {
      if (perHour <= 0) continue;
      const inMs = (Math.max(0, room) / perHour) * hour;
      if (!soonest || inMs < soonest.inMs) soonest = { limit, inMs };
    }
    if (!soonest) return undefined;
    const inMs = Math.round(soonest.inMs);
    const rate =
      soonest.limit === 'pending-records'
        ? `+${Math.round(growth.recordsPerHour)} records/h`
        : mbPerHour(growth.bytesPerHour);
    return {
      limit: soonest.limit,
      inMs,
      at: now + inMs,
      ...growth,
      message: `${limitWords[soonest.limit]} reached in ${aboutDuration(inMs)} at the current net growth (${rate})`,
    };
  }
}
