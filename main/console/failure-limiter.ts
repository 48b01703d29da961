// Limits failed sign-ins (bad token, wrong admin passphrase) per remote address: N failures in a window, then a pause.
export interface FailureLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

/** Tracks at most this many addresses; the oldest are forgotten first. */
const maxTracked = 10_000;

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: FailureLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  blockedForMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, recent[recent.length - this.maxFailures]! + this.windowMs - this.now());
  }

  /** Records a failure; returns how long `key` is now blocked (0 while under the limit). */
  fail(key: string): number {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.delete(key);
    this.failures.set(key, recent.slice(-this.maxFailures));
    if (this.failures.size > maxTracked) this.failures.delete(this.failures.keys().next().value!);
    return this.blockedForMs(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((at) => at > since);
  }
}
