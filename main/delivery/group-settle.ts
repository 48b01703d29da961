// Group commit of settles: the outcomes of sends that finish in the same tick go into one outbox transaction, whose fsync runs off the event loop.
import type { Outbox } from '../outbox/outbox.js';
import type { SettleResult, Settlement } from '../outbox/settle.js';

/** A committed settle, and when it is on disk: only then may anyone act on it outside the outbox (delete a file). */
export type CommittedSettle = SettleResult & { durable: Promise<void> };

interface Waiting {
  token: string;
  settlements: Settlement[];
  resolve: (result: CommittedSettle) => void;
  reject: (error: unknown) => void;
}

/**
 * Settlements one commit takes before the next waits a turn of the event loop: a commit is synchronous, so merging
 * several 500-record batches into one would hold the loop (timers, sockets, the console) for its whole length. One
 * lease's settlements always go together, however many there are.
 */
export const settlementsPerCommit = 500;

export class GroupSettle {
  private waiting: Waiting[] = [];

  constructor(private readonly outbox: Pick<Outbox, 'settleGroups' | 'durable'>) {}

  /**
   * Resolves once the settlements are committed together with others of this tick (rejects if that commit fails);
   * its `durable` resolves once the commit is on disk (rejects if the fsync fails).
   */
  settle(token: string, settlements: Settlement[]): Promise<CommittedSettle> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ token, settlements, resolve, reject });
    });
  }

  private flush(): void {
    const group = this.takeCommit();
    if (this.waiting.length > 0) setImmediate(() => this.flush());
    let results: SettleResult[];
    try {
      results = this.outbox.settleGroups(group, 'deferred');
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    // The fsync runs on the thread pool while the loop goes on: the next sends and their commits (which share the
    // next fsync). A sender may lease again at once; what acts on the outcome outside the outbox waits for `durable`.
    const durable = this.outbox.durable();
    durable.catch(() => undefined); // a sender with nothing to act on never looks at it
    // The senders hear a turn later, so what they do next (the next lease) does not lengthen this commit's hold.
    setImmediate(() => group.forEach((w, i) => w.resolve({ ...(results[i] as SettleResult), durable })));
  }

  /** The oldest waiting leases, as many as fit in one commit (at least one). */
  private takeCommit(): Waiting[] {
    let count = 0;
    let taken = 0;
    for (const w of this.waiting) {
      if (taken > 0 && count + w.settlements.length > settlementsPerCommit) break;
      count += w.settlements.length;
      taken += 1;
    }
    return this.waiting.splice(0, taken);
  }
}
