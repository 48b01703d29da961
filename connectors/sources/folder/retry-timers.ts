// Keyed retries with exponential backoff (one pending timer per key), capped at the rescan interval.
export class RetryTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  /** Runs `task` after the backoff for `failures` (1: baseMs, doubling), replacing a retry pending under `key`. */
  later(key: string, task: () => void, failures: number): void {
    clearTimeout(this.timers.get(key));
    const delay = Math.min(this.baseMs * 2 ** Math.min(failures - 1, 10), this.maxMs);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!this.stopped) task();
      }, delay),
    );
  }

  cancel(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
