// The disk forecast: net growth over a sliding window, and which limit it reaches first and when.
import { describe, expect, it } from 'vitest';
import {
  aboutDuration,
  GrowthWindow,
  slopePerMs,
  type ForecastLimits,
} from '../../../main/outbox/disk-forecast.js';

const minute = 60_000;
const hour = 60 * minute;
const MB = 1024 * 1024;
const T0 = Date.UTC(2024, 0, 15, 9, 0, 0);

const roomy: ForecastLimits = {
  maxPendingRecords: 1e9,
  maxPendingBytes: 1e15,
  freeDiskBytes: 10_000 * MB,
  minFreeDiskBytes: 1000 * MB,
};

/** Samples every 10 s for `minutes`, growing by `bytesPerHour` (1 KiB records), plus optional noise. */
function windowWith(bytesPerHour: number, minutes = 10, noise: (i: number) => number = () => 0) {
  const window = new GrowthWindow();
  let at = T0;
  for (let i = 0; i <= minutes * 6; i++) {
    at = T0 + i * 10_000;
    const bytes = Math.max(0, 500 * MB + (bytesPerHour * (at - T0)) / hour + noise(i));
    window.add({ at, pendingBytes: bytes, pendingRecords: Math.round(bytes / 1024) });
  }
  return { window, now: at };
}

describe('disk forecast', () => {
  it('steady growth: the disk floor is reached when the room above it is used up at that rate', () => {
    const { window, now } = windowWith(3000 * MB); // 9000 MB of room at 3000 MB/h: 3 h
    const forecast = window.forecast(roomy, now);
    expect(forecast?.limit).toBe('disk-floor');
    expect(forecast!.inMs).toBeCloseTo(3 * hour, -4);
    expect(forecast!.at).toBe(now + forecast!.inMs);
    expect(forecast!.bytesPerHour).toBeCloseTo(3000 * MB, -3);
    expect(forecast!.message).toBe(
      'disk floor reached in about 3 h at the current net growth (+3000.0 MB/h)',
    );
  });

  it('names the limit reached first: the outbox size cap before the disk floor', () => {
    const { window, now } = windowWith(600 * MB);
    const latestBytes = 500 * MB + 600 * MB * (10 / 60);
    const forecast = window.forecast({ ...roomy, fileBytes: 1000 * MB, maxDatabaseBytes: 1400 * MB }, now);
    expect(forecast?.limit).toBe('outbox-size');
    expect(forecast!.inMs).toBeCloseTo(40 * minute, -4);
    expect(forecast!.message).toMatch(/^outbox size limit reached in about 40 min/);
    const records = window.forecast(
      { ...roomy, maxPendingRecords: Math.round(latestBytes / 1024) + 614_400 },
      now,
    );
    expect(records?.limit).toBe('pending-records');
    expect(records!.message).toMatch(
      /^pending record cap reached in about 60 min .*\(\+6144\d\d records\/h\)$/,
    );
  });

  it('a shrinking or flat outbox has no forecast', () => {
    expect(windowWith(-2000 * MB).window.forecast(roomy, T0 + hour)).toBeUndefined();
    expect(windowWith(0).window.forecast(roomy, T0 + hour)).toBeUndefined();
    expect(windowWith(-2000 * MB).window.growth()!.bytesPerHour).toBeLessThan(0);
  });

  it('noisy samples around a steady trend give about the trend', () => {
    // ±50 MB of jitter, alternating, on top of 3000 MB/h.
    const { window, now } = windowWith(3000 * MB, 10, (i) => (i % 2 === 0 ? 50 : -50) * MB);
    const forecast = window.forecast(roomy, now);
    expect(forecast?.limit).toBe('disk-floor');
    expect(forecast!.inMs).toBeGreaterThan(2.5 * hour);
    expect(forecast!.inMs).toBeLessThan(3.5 * hour);
  });

  it('no forecast before the samples span a minute; old samples leave the window', () => {
    const window = new GrowthWindow(5 * minute);
    window.add({ at: T0, pendingBytes: 0, pendingRecords: 0 });
    window.add({ at: T0 + 30_000, pendingBytes: 100 * MB, pendingRecords: 100 });
    expect(window.forecast(roomy, T0 + 30_000)).toBeUndefined();
    // A burst long ago, then 10 flat minutes: the burst is out of the window, so no growth is left.
    for (let i = 1; i <= 20; i++)
      window.add({ at: T0 + 30_000 + i * 30_000, pendingBytes: 100 * MB, pendingRecords: 100 });
    expect(window.growth()).toEqual({ bytesPerHour: 0, recordsPerHour: 0 });
  });

  it('already past a limit: reached now', () => {
    const { window, now } = windowWith(100 * MB);
    const forecast = window.forecast({ ...roomy, freeDiskBytes: 900 * MB }, now);
    expect(forecast).toMatchObject({ limit: 'disk-floor', inMs: 0 });
    expect(forecast!.message).toMatch(/in under a minute/);
  });

  it('slope and durations', () => {
    expect(slopePerMs([{ at: 0, value: 1 }])).toBe(0);
    expect(
      slopePerMs([
        { at: 0, value: 0 },
        { at: 10, value: 5 },
        { at: 20, value: 10 },
      ]),
    ).toBeCloseTo(0.5);
    expect(aboutDuration(40 * minute)).toBe('about 40 min');
    expect(aboutDuration(3 * hour)).toBe('about 3 h');
    expect(aboutDuration(72 * hour)).toBe('about 3 days');
  });
});
