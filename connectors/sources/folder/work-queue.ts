// The folder source's serial work: one item at a time; when the outbox refuses one, it stays queued and all waits.
export interface WorkQueueOptions<W> {
  /**
   * Does one item. Throwing means the outbox refused it (disk full, …): the item is kept and retried later.
   * 'again': it stopped part way because the queue may not run now (paused, stopping); it runs again when it may.
   */
  run: (work: W) => Promise<void | 'again'>;
  /** False while paused, stopped or not started: items wait. */
  canRun: () => boolean;
  /** The outbox refused `work` (`error`), or takes items again (undefined). */
  onOutboxState: (error: Error | undefined, work?: W) => void;
  retryMs: number;
}

export class WorkQueue<W> {
  private readonly items = new Map<string, W>();
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(private readonly options: WorkQueueOptions<W>) {}

  /** Queues an item; an item with the same key still waiting is replaced in place. */
  add(key: string, work: W): void {
    this.items.set(key, work);
    this.drain();
  }

  values(): IterableIterator<W> {
    return this.items.values();
  }

  drain(): void {
    if (this.draining || !this.options.canRun()) return;
    this.draining = this.process().finally(() => {
      this.draining = undefined;
    });
  }

  /** Stops retrying and waits for the item in progress. */
  async settle(): Promise<void> {
    clearTimeout(this.timer);
    await this.draining;
  }

  private async process(): Promise<void> {
    for (const [key, work] of this.items) {
      if (!this.options.canRun()) return;
      this.items.delete(key); // queued again while it runs (the file changed): it runs again afterwards
      try {
        if ((await this.options.run(work)) === 'again' && !this.items.has(key)) this.items.set(key, work);
      } catch (error) {
        if (!this.items.has(key)) this.items.set(key, work);
        this.failing = true;
        this.options.onOutboxState(error instanceof Error ? error : new Error(String(error)), work);
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.drain(), this.options.retryMs);
        return;
      }
      if (this.failing) {
        this.failing = false;
        this.options.onOutboxState(undefined);
      }
    }
  }
}
