// A counting limit on publishes awaiting their acknowledgement, lowered to the broker's Receive Maximum when smaller.

export class InFlightLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private limit: number) {}

  /** Sets the most publishes in flight (the broker's Receive Maximum may change with each connect). */
  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    this.wake();
  }

  /** Waits for a free slot; false when `signal` aborted first. Call release() after a true. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false;
    if (this.active < this.limit) {
      this.active += 1;
      return true;
    }
    return new Promise((resolve) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(false);
      };
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.active += 1;
        resolve(true);
      };
      this.waiting.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.active -= 1;
    this.wake();
  }

  private wake(): void {
    while (this.active < this.limit && this.waiting.length > 0) this.waiting.shift()?.();
  }
}
