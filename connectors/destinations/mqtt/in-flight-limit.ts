// A counting limit on publishes awaiting their acknowledgement, lowered to the broker's Receive Maximum when smaller.

interface Waiter {
  rank: number;
  grant: () => void;
}

/**
 * Slots go to waiters by rank, lowest first (the destination ranks by when a send started): the oldest send publishes
 * its batch to the end while younger ones wait, so sends finish one after the other and there is always one still
 * publishing while the oldest waits for its last acknowledgements and the next batch is leased. Were slots shared
 * alike, every send would run out of members at about the same time and the window would drain at each batch end.
 */
export class InFlightLimit {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private limit: number) {}

  /** Sets the most publishes in flight (the broker's Receive Maximum may change with each connect). */
  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    this.wake();
  }

  /** Takes a free slot at once if there is one (true: call release() later). */
  tryAcquire(): boolean {
    if (this.active >= this.limit) return false;
    this.active += 1;
    return true;
  }

  /** Waits for a free slot, behind waiters of a lower rank; false when `signal` aborted first. Call release() after a true. */
  async acquire(signal: AbortSignal, rank = 0): Promise<boolean> {
    if (signal.aborted) return false;
    if (this.tryAcquire()) return true;
    return new Promise((resolve) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(false);
      };
      const waiter: Waiter = {
        rank,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          this.active += 1;
          resolve(true);
        },
      };
      const behind = this.waiting.findIndex((w) => w.rank > rank);
      this.waiting.splice(behind < 0 ? this.waiting.length : behind, 0, waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.active -= 1;
    this.wake();
  }

  private wake(): void {
    while (this.active < this.limit && this.waiting.length > 0) this.waiting.shift()?.grant();
  }
}
