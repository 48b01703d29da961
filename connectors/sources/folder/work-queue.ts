// The folder source's serial work: one step at a time (a step may take many items of one kind together); when the
// outbox refuses a step, its items stay queued and all waits.
export interface WorkQueueOptions<W> {
  /**
   * Does one item. Throwing means the outbox refused it (disk full, …): the item is kept and retried later.
   * 'again': it stopped part way because the queue may not run now (paused, stopping); it runs again when it may.
   */
  run: (work: W) => Promise<void | 'again'>;
  /** The group an item may be done in together with other queued items of that group (undefined: alone). */
  groupOf?: (work: W) => string | undefined;
  /** Does the queued items of one group in one step (one outbox transaction); throwing keeps them all queued. */
  runGroup?: (works: W[]) => Promise<void>;
  /** Most items in one group step. */
  maxGroup?: number;
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

  /** Starts working after the current tick, so that items queued together are done together. */
  drain(): void {
    if (this.draining || !this.options.canRun()) return;
    this.draining = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.process())
      .finally(() => {
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
      const group = this.options.runGroup ? this.options.groupOf?.(work) : undefined;
      const keys = group === undefined ? [key] : this.groupKeys(group);
      const works = keys.map((k) => this.items.get(k) as W);
      for (const k of keys) this.items.delete(k); // queued again while it runs (the file changed): runs again after
      try {
        if (group !== undefined) await this.options.runGroup?.(works);
        else if ((await this.options.run(work)) === 'again' && !this.items.has(key))
          this.items.set(key, work);
      } catch (error) {
        keys.forEach((k, i) => {
          if (!this.items.has(k)) this.items.set(k, works[i] as W);
        });
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

  /** Keys of the queued items of one group, oldest first, up to maxGroup. */
  private groupKeys(group: string): string[] {
    const keys: string[] = [];
    const max = this.options.maxGroup ?? 256;
    for (const [key, work] of this.items) {
      if (keys.length >= max) break;
      if (this.options.groupOf?.(work) === group) keys.push(key);
    }
    return keys;
  }
}
