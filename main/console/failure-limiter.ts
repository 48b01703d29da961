// Slows guessing (console token, admin passphrase): after a few free failures per key, each further one doubles the wait.
export interface FailureLimiterOptions {
  /** Failures of one key answered without a wait (default 5). */
  freeFailures?: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure (default 1 s). */
  baseDelayMs?: number;
  /** The longest wait (default 15 min). */
  maxDelayMs?: number;
  /** A key with no failure for this long starts afresh (default 15 min). */
  forgetAfterMs?: number;
  now?: () => number;
}

interface Failures {
  count: number;
  lastAt: number;
  blockedUntil: number;
}

/** Tracks at most this many keys; the oldest are forgotten first (the global key is refreshed on every failure). */
const maxTracked = 10_000;

export class FailureLimiter {
  private readonly failures = new Map<string, Failures>();
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly forgetAfterMs: number;
  private readonly now: () => number;

  constructor(options: FailureLimiterOptions = {}) {
    this.freeFailures = options.freeFailures ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. The longest wait of several keys counts. */
  blockedForMs(...keys: string[]): number {
    return Math.max(0, ...keys.map((key) => (this.current(key)?.blockedUntil ?? 0) - this.now()));
  }

  /** Records a failure of every key; returns how long the caller must now wait (0 while under the free ones). */
  fail(...keys: string[]): number {
    const now = this.now();
    for (const key of keys) {
      const entry = this.current(key) ?? { count: 0, lastAt: now, blockedUntil: 0 };
      entry.count += 1;
      entry.lastAt = now;
      const excess = entry.count - this.freeFailures;
      if (excess > 0) {
        const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(excess - 1, 30));
        entry.blockedUntil = now + delay;
      }
      this.failures.delete(key);
      this.failures.set(key, entry);
    }
    while (this.failures.size > maxTracked) this.failures.delete(this.failures.keys().next().value!);
    return this.blockedForMs(...keys);
  }

  /** A success forgets the key's failures (e.g. the session that finally typed the right passphrase). */
  succeed(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string): Failures | undefined {
    const entry = this.failures.get(key);
    if (
      entry &&
      this.now() - entry.lastAt > Math.max(this.forgetAfterMs, entry.blockedUntil - entry.lastAt)
    ) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
