// Decides when a destination may start requests: sending window, server-requested pause, circuit breaker, rate limit.
import type { CircuitBreaker, CircuitSnapshot } from './circuit-breaker.js';
import type { DestinationSignal } from './destination-signal.js';
import type { SendingSchedule } from './sending-window.js';
import type { TokenBucket } from './token-bucket.js';

export type GateState = 'outside-window' | 'throttled' | 'circuit-open';

export interface GateClosed {
  state: GateState;
  /** Plain words for status. */
  detail: string;
  /** When to look again. */
  until: number;
}

export interface GateSnapshot {
  circuit?: CircuitSnapshot;
  sendingWindow?: { open: boolean; schedule: string; nextOpenAt?: number };
  /** Until when the server asked the whole destination to wait (429/503 with Retry-After). */
  holdUntil?: number;
}

export interface GateParts {
  circuit?: CircuitBreaker;
  rateLimit?: TokenBucket;
  schedule?: SendingSchedule;
}

const clockTime = (at: number) => new Date(at).toLocaleTimeString();

export class DeliveryGate {
  private holdUntil = 0;
  private holdReason = '';

  constructor(private readonly parts: GateParts = {}) {}

  /** Why no request may start now, or undefined when requests may start (subject to `acquire`). */
  closed(now: number): GateClosed | undefined {
    const { schedule, circuit } = this.parts;
    if (schedule && !schedule.isOpen(now)) {
      const opens = schedule.nextOpenAt(now);
      return {
        state: 'outside-window',
        detail: `outside the sending window (${schedule.describe()}); sending resumes at ${clockTime(opens)}`,
        until: opens,
      };
    }
    if (this.holdUntil > now) {
      return {
        state: 'throttled',
        detail: `the server asked to wait (${this.holdReason}); sending resumes at ${clockTime(this.holdUntil)}`,
        until: this.holdUntil,
      };
    }
    const probeAt = circuit?.nextAttemptAt();
    if (circuit && probeAt !== undefined && probeAt > now) {
      const snapshot = circuit.snapshot();
      return {
        state: 'circuit-open',
        detail: `circuit open: ${snapshot.reason ?? 'too many failures'}; next probe at ${clockTime(probeAt)}`,
        until: probeAt,
      };
    }
    return undefined;
  }

  /** Takes permits for up to `wanted` requests starting now; returns how many were granted and, if none, when to retry. */
  acquire(wanted: number, now: number): { granted: number; retryAt?: number } {
    const { circuit, rateLimit } = this.parts;
    let granted = 0;
    while (granted < wanted) {
      if (circuit && !circuit.tryAcquire()) break;
      if (rateLimit && !rateLimit.tryTake()) {
        circuit?.onAbandon();
        break;
      }
      granted += 1;
    }
    if (granted > 0) return { granted };
    const waits = [rateLimit ? now + Math.max(rateLimit.waitMs(), 1) : undefined, circuit?.nextAttemptAt()];
    const retryAt = Math.min(...waits.filter((w): w is number => w !== undefined), now + 1000);
    return { granted: 0, retryAt };
  }

  /** Whether permits are rate-limited: a permit taken and handed back unused is then a token spent for nothing. */
  get limitsRate(): boolean {
    return this.parts.rateLimit !== undefined;
  }

  /** Permits taken but not used (fewer records were due than permits). */
  release(unused: number): void {
    for (let i = 0; i < unused; i++) this.parts.circuit?.onAbandon();
  }

  /** The outcome of one request that held a permit. */
  report(signal: DestinationSignal | 'abandoned', reason: string, now: number, retryAfterMs?: number): void {
    const { circuit } = this.parts;
    if (signal === 'abandoned') circuit?.onAbandon();
    else if (signal === 'failure') circuit?.onFailure(reason);
    else circuit?.onSuccess(); // throttled: the server answered sanely, it is not broken
    if (
      signal !== 'abandoned' &&
      retryAfterMs !== undefined &&
      retryAfterMs > 0 &&
      now + retryAfterMs > this.holdUntil
    ) {
      this.holdUntil = now + retryAfterMs;
      this.holdReason = reason;
    }
  }

  snapshot(now: number): GateSnapshot {
    const { circuit, schedule } = this.parts;
    const open = schedule?.isOpen(now);
    return {
      ...(circuit ? { circuit: circuit.snapshot() } : {}),
      ...(schedule
        ? {
            sendingWindow: {
              open: open ?? true,
              schedule: schedule.describe(),
              ...(open ? {} : { nextOpenAt: schedule.nextOpenAt(now) }),
            },
          }
        : {}),
      ...(this.holdUntil > now ? { holdUntil: this.holdUntil } : {}),
    };
  }
}
