// Per-destination circuit breaker: opens on failures in a row or a high error rate, then lets one probe through.

export interface CircuitBreakerPolicy {
  /** Open after this many failures in a row. */
  failureThreshold: number;
  /** Or open when failures / requests over the sliding window reach this share (0 < errorRate <= 1) ... */
  errorRate: number;
  /** ... measured over this window ... */
  windowMs: number;
  /** ... once at least this many requests finished inside it. */
  minRequests: number;
  /** First open period before a half-open probe. */
  openMs: number;
  /** The open period doubles after each failed probe, up to this. */
  maxOpenMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitSnapshot {
  state: CircuitState;
  /** Why the circuit is not closed, in words for status, e.g. "opened after 5 consecutive failures; last: HTTP 503". */
  reason?: string;
  openedAt?: number;
  /** When a probe may go (open), or went (half-open). */
  probeAt?: number;
  consecutiveFailures: number;
  windowRequests: number;
  windowFailures: number;
}

const bucketCount = 10;

interface Bucket {
  requests: number;
  failures: number;
}

/** Outcome counts over a sliding window of `bucketCount` buckets: memory stays bounded whatever the request rate. */
class OutcomeWindow {
  private readonly buckets = new Map<number, Bucket>();
  private readonly bucketMs: number;

  constructor(windowMs: number) {
    this.bucketMs = windowMs / bucketCount;
  }

  record(now: number, failed: boolean): void {
    const current = this.prune(now);
    const bucket = this.buckets.get(current) ?? { requests: 0, failures: 0 };
    bucket.requests += 1;
    if (failed) bucket.failures += 1;
    this.buckets.set(current, bucket);
  }

  totals(now: number): Bucket {
    this.prune(now);
    let requests = 0;
    let failures = 0;
    for (const bucket of this.buckets.values()) {
      requests += bucket.requests;
      failures += bucket.failures;
    }
    return { requests, failures };
  }

  clear(): void {
    this.buckets.clear();
  }

  /** Drops buckets outside the window (also "future" ones left by a clock that went back); returns the current index. */
  private prune(now: number): number {
    const current = Math.floor(now / this.bucketMs);
    for (const index of this.buckets.keys()) {
      if (index <= current - bucketCount || index > current) this.buckets.delete(index);
    }
    return current;
  }
}

function checkPolicy(policy: CircuitBreakerPolicy): void {
  const problems: string[] = [];
  const wholeAtLeast = (name: keyof CircuitBreakerPolicy, min: number) => {
    if (!Number.isInteger(policy[name]) || policy[name] < min) {
      problems.push(`${name} must be a whole number of at least ${min} (got ${policy[name]})`);
    }
  };
  wholeAtLeast('failureThreshold', 1);
  wholeAtLeast('minRequests', 1);
  if (!(policy.errorRate > 0 && policy.errorRate <= 1)) {
    problems.push(`errorRate must be above 0 and at most 1 (got ${policy.errorRate})`);
  }
  for (const name of ['windowMs', 'openMs', 'maxOpenMs'] as const) {
    if (!(Number.isFinite(policy[name]) && policy[name] > 0)) {
      problems.push(`${name} must be a positive number of milliseconds (got ${policy[name]})`);
    }
  }
  if (policy.maxOpenMs < policy.openMs) {
    problems.push(`maxOpenMs (${policy.maxOpenMs}) must be at least openMs (${policy.openMs})`);
  }
  if (problems.length > 0) throw new RangeError(`Invalid circuit breaker policy: ${problems.join('; ')}`);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * One destination's circuit. The caller decides what counts as a failure: report onFailure only for outcomes
 * that say the destination is unhealthy (network errors, timeouts, 5xx, 429 …). A permanent rejection of one
 * record (a 4xx that is dead-lettered) proves the destination is up and answering: report it as onSuccess.
 *
 * Every tryAcquire() that returns true must be followed by exactly one onSuccess, onFailure or onAbandon.
 * Outcomes are not tied to a particular request, so the breaker counts requests in flight: a probe is granted
 * only when nothing else is in flight, and once the probe time has come the first outcome reported decides,
 * whether it comes from the probe or from a request that started before the circuit opened (both are fresh
 * news about the destination). Outcomes reported while the circuit is open and before the probe time are
 * counted but change nothing.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private inFlight = 0;
  private openedAt: number | undefined;
  private probeAt: number | undefined;
  private openMs: number;
  /** Why the circuit first opened; kept while probes fail. */
  private cause: string | undefined;
  private failedProbes = 0;
  private lastFailure = '';
  private readonly window: OutcomeWindow;

  constructor(
    private readonly policy: CircuitBreakerPolicy,
    private readonly clock: () => number = Date.now,
    private readonly onChange: (snapshot: CircuitSnapshot) => void = () => {},
  ) {
    checkPolicy(policy);
    this.openMs = policy.openMs;
    this.window = new OutcomeWindow(policy.windowMs);
  }

  /** May a request start now? Closed: yes. Open: no until probeAt; then half-open, and one caller gets the probe. */
  tryAcquire(): boolean {
    this.advance(this.clock());
    if (this.state === 'open' || (this.state === 'half-open' && this.inFlight > 0)) return false;
    this.inFlight += 1;
    return true;
  }

  /** The request got an answer that shows the destination is healthy (including a permanent 4xx rejection). */
  onSuccess(): void {
    const now = this.clock();
    this.advance(now);
    this.release();
    this.window.record(now, false);
    this.consecutiveFailures = 0;
    if (this.state === 'half-open') this.close();
  }

  /** The request failed in a way that says the destination is unhealthy; `reason` is shown in status (no secrets). */
  onFailure(reason: string): void {
    const now = this.clock();
    this.advance(now);
    this.release();
    this.window.record(now, true);
    this.consecutiveFailures += 1;
    this.lastFailure = reason;
    if (this.state === 'half-open') {
      this.failedProbes += 1;
      this.openMs = Math.min(this.policy.maxOpenMs, this.openMs * 2);
      this.open(now);
    } else if (this.state === 'closed') {
      const cause = this.tripCause(now);
      if (cause !== undefined) {
        this.cause = cause;
        this.open(now);
      }
    }
  }

  /** An acquired request ended without an outcome (e.g. shutdown): frees its slot, so a probe can go again. */
  onAbandon(): void {
    this.release();
  }

  /**
   * When the next request may be attempted: probeAt while open (or half-open with no probe in flight; then it
   * is already past). Undefined when closed, and while a probe is in flight: its outcome decides, not the clock.
   */
  nextAttemptAt(): number | undefined {
    if (this.state === 'closed' || (this.state === 'half-open' && this.inFlight > 0)) return undefined;
    return this.probeAt;
  }

  snapshot(): CircuitSnapshot {
    const { requests, failures } = this.window.totals(this.clock());
    return {
      state: this.state,
      ...(this.cause !== undefined ? { reason: this.reason(this.cause) } : {}),
      ...(this.openedAt !== undefined ? { openedAt: this.openedAt } : {}),
      ...(this.probeAt !== undefined ? { probeAt: this.probeAt } : {}),
      consecutiveFailures: this.consecutiveFailures,
      windowRequests: requests,
      windowFailures: failures,
    };
  }

  /** Open → half-open once the probe time has come. A clock that went back before openedAt restarts the period. */
  private advance(now: number): void {
    if (this.state !== 'open' || this.openedAt === undefined || this.probeAt === undefined) return;
    if (now < this.openedAt) {
      this.openedAt = now;
      this.probeAt = now + this.openMs;
    } else if (now >= this.probeAt) {
      this.setState('half-open');
    }
  }

  private tripCause(now: number): string | undefined {
    if (this.consecutiveFailures >= this.policy.failureThreshold) {
      const n = this.consecutiveFailures;
      return `opened after ${n} consecutive failure${n === 1 ? '' : 's'}`;
    }
    const { requests, failures } = this.window.totals(now);
    if (requests < this.policy.minRequests || failures / requests < this.policy.errorRate) return undefined;
    const percent = Math.round((failures / requests) * 100);
    return `error rate ${percent}% over the last ${seconds(this.policy.windowMs)} (${failures} of ${requests} requests failed)`;
  }

  private reason(cause: string): string {
    const probes =
      this.failedProbes === 0
        ? ''
        : `; ${this.failedProbes} probe${this.failedProbes === 1 ? '' : 's'} failed`;
    return `${cause}${probes}; last: ${this.lastFailure}`;
  }

  private open(now: number): void {
    this.openedAt = now;
    this.probeAt = now + this.openMs;
    this.setState('open');
  }

  private close(): void {
    this.window.clear();
    this.consecutiveFailures = 0;
    this.openMs = this.policy.openMs;
    this.failedProbes = 0;
    this.cause = undefined;
    this.lastFailure = '';
    this.openedAt = undefined;
    this.probeAt = undefined;
    this.setState('closed');
  }

  private release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  private setState(state: CircuitState): void {
    this.state = state;
    this.onChange(this.snapshot());
  }
}
