// Samples the outbox's undelivered records and bytes as the engine runs, and forecasts when it reaches a limit.
import type { AgentConfig } from '../config/schema.js';
import { GrowthWindow, type DiskForecast } from '../outbox/disk-forecast.js';
import type { Outbox } from '../outbox/outbox.js';

export class OutboxForecaster {
  private readonly window = new GrowthWindow();
  private freeDisk = Number.POSITIVE_INFINITY;
  private diskFloor = 0;

  constructor(private readonly outbox: Outbox) {}

  /** One sample: the outbox's undelivered totals now, and the free disk and floor just measured. */
  sample(now: number, freeDiskBytes: number, minFreeDiskBytes: number): void {
    const totals = this.outbox.counters.totals();
    this.window.add({ at: now, pendingRecords: totals.pending, pendingBytes: totals.pendingBytes });
    this.freeDisk = freeDiskBytes;
    this.diskFloor = minFreeDiskBytes;
  }

  /** `limits`: the outbox settings in effect now (they change when the config is reloaded). */
  forecast(now: number, limits: AgentConfig['outbox']): DiskForecast | undefined {
    const { maxDatabaseBytes } = limits;
    const pageBytes = () =>
      (this.outbox.db.pragma('page_count', { simple: true }) as number) *
      (this.outbox.db.pragma('page_size', { simple: true }) as number);
    return this.window.forecast(
      {
        maxPendingRecords: limits.maxPendingRecords,
        maxPendingBytes: limits.maxPendingBytes,
        freeDiskBytes: this.freeDisk,
        minFreeDiskBytes: this.diskFloor,
        ...(maxDatabaseBytes ? { maxDatabaseBytes, fileBytes: pageBytes() } : {}),
      },
      now,
    );
  }
}
