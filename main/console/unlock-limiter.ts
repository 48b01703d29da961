// Admin unlock attempts, limited per session and for the whole agent (never per address): console and desktop IPC share it.
import { ContractError } from '../api/contract-error.js';
import { contractErrorOf } from './error-shape.js';
import { FailureLimiter, type FailureLimiterOptions } from './failure-limiter.js';

export interface UnlockLimiterOptions {
  /** Wrong passphrases one session may try before waits start (default 5 free, then 1 s, 2 s, 4 s …). */
  perSession?: FailureLimiterOptions;
  /** Wrong passphrases of all sessions together (default 20 free, then 1 s, 2 s, 4 s … up to 15 min). */
  global?: FailureLimiterOptions;
}

/** Thrown while unlocking is paused; the console answers 429 with Retry-After, IPC an 'unavailable' error. */
export class UnlockPaused extends ContractError {
  constructor(readonly waitMs: number) {
    super(
      'unavailable',
      'too many wrong admin passphrases; admin unlock is paused',
      `wait ${Math.ceil(waitMs / 1000)} s and try again`,
    );
  }
}

const everyone = 'all sessions';

export class UnlockLimiter {
  private readonly perSession: FailureLimiter;
  private readonly global: FailureLimiter;

  constructor(options: UnlockLimiterOptions = {}) {
    this.perSession = new FailureLimiter({ freeFailures: 5, ...options.perSession });
    this.global = new FailureLimiter({ freeFailures: 20, ...options.global });
  }

  /**
   * Runs `unlock` unless this session or the agent as a whole is paused (then UnlockPaused, even for the right
   * passphrase, or guessing would go on). A 'forbidden' answer (wrong passphrase) counts against both.
   */
  async attempt<T>(session: string, unlock: () => Promise<T>): Promise<T> {
    const waitMs = Math.max(this.perSession.blockedForMs(session), this.global.blockedForMs(everyone));
    if (waitMs > 0) throw new UnlockPaused(waitMs);
    try {
      const result = await unlock();
      this.perSession.succeed(session);
      return result;
    } catch (error) {
      if (contractErrorOf(error)?.code === 'forbidden') {
        this.perSession.fail(session);
        this.global.fail(everyone);
      }
      throw error;
    }
  }
}
