// Timing, percentile and resident-memory sampling helpers shared by the outbox benchmark phases.

const origin = process.hrtime.bigint();

/** Monotonic milliseconds (hrtime, ns resolution) since this module loaded. */
export function nowMs(): number {
  return Number(process.hrtime.bigint() - origin) / 1e6;
}

export interface Distribution {
  count: number;
  min: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  total: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function distribution(samples: number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, x) => sum + x, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    total,
  };
}

/** Lets signals and timers run between timed blocks (never inside one). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Samples process RSS (process.memoryUsage.rss(), the cheap form of process.memoryUsage().rss) at the points the
 * phases call sample(): between timed blocks, so sampling never lands inside a measurement.
 */
export class RssTracker {
  private peakBytes = 0;
  private current = 'start';
  readonly phasePeaks = new Map<string, number>();
  samples = 0;

  phase(name: string): void {
    this.current = name;
    this.sample();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    this.samples += 1;
    if (rss > this.peakBytes) this.peakBytes = rss;
    if (rss > (this.phasePeaks.get(this.current) ?? 0)) this.phasePeaks.set(this.current, rss);
  }

  get peak(): number {
    return this.peakBytes;
  }

  /** The kernel's high-water mark (getrusage maxrss), which also catches peaks between samples. */
  static kernelPeakBytes(): number {
    return process.resourceUsage().maxRSS * 1024;
  }
}
