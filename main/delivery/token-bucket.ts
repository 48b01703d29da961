// Per-destination rate limit: a token bucket refilled lazily from the clock (no timers), fractional rates allowed.

export interface RateLimitPolicy {
  /** Average rate; fractions work (0.5 = one request every 2 s). */
  requestsPerSecond: number;
  /** Bucket size: how many requests may go at once after a quiet spell. */
  burst: number;
}

/** Float slack so that waiting exactly waitMs() always makes the tokens available. */
const epsilon = 1e-9;

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly policy: RateLimitPolicy,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(Number.isFinite(policy.requestsPerSecond) && policy.requestsPerSecond > 0)) {
      throw new RangeError(
        `Invalid rate limit: requestsPerSecond must be a number above 0 (got ${policy.requestsPerSecond})`,
      );
    }
    if (!(Number.isFinite(policy.burst) && policy.burst >= 1)) {
      throw new RangeError(`Invalid rate limit: burst must be at least 1 (got ${policy.burst})`);
    }
    this.tokens = policy.burst;
    this.refilledAt = clock();
  }

  /** Takes `n` tokens if they are all available now. */
  tryTake(n = 1): boolean {
    this.check(n);
    this.refill();
    if (this.tokens + epsilon < n) return false;
    this.tokens = Math.max(0, this.tokens - n);
    return true;
  }

  /** Milliseconds until `n` tokens are available (0 when available now). `n` above the burst can never be, so it throws. */
  waitMs(n = 1): number {
    this.check(n);
    this.refill();
    if (this.tokens + epsilon >= n) return 0;
    const rate = this.policy.requestsPerSecond;
    const ms = Math.ceil(((n - this.tokens) * 1000) / rate);
    // The division can round up past a whole millisecond; one less is enough if the refill arithmetic says so.
    return this.tokens + ((ms - 1) * rate) / 1000 + epsilon >= n ? ms - 1 : ms;
  }

  private check(n: number): void {
    if (!(Number.isFinite(n) && n > 0)) {
      throw new RangeError(`A rate-limited request takes a positive number of tokens (got ${n})`);
    }
    if (n > this.policy.burst) {
      throw new RangeError(
        `Cannot take ${n} tokens at once: the burst is ${this.policy.burst}, so the bucket never holds that many; ` +
          `raise rateLimit.burst to at least ${n} or take fewer tokens at a time`,
      );
    }
  }

  /** Adds what the elapsed time earned, up to the burst. A clock that went back earns nothing. */
  private refill(): void {
    const now = this.clock();
    if (now > this.refilledAt) {
      this.tokens = Math.min(
        this.policy.burst,
        this.tokens + ((now - this.refilledAt) * this.policy.requestsPerSecond) / 1000,
      );
    }
    this.refilledAt = now;
  }
}
