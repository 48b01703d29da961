// The cancellation of one send: a single listener on its abort signal, however many of its messages wait.

/** Something a send waits for that gives up when the send is cancelled. */
export interface Cancellable {
  cancel(): void;
}

export class SendCancel {
  private readonly waiting = new Set<Cancellable>();
  private readonly onAbort = (): void => {
    for (const entry of [...this.waiting]) entry.cancel();
  };

  constructor(readonly signal: AbortSignal) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  get aborted(): boolean {
    return this.signal.aborted;
  }

  /** `entry.cancel()` runs when the send is cancelled, until `forget(entry)`. */
  watch(entry: Cancellable): void {
    this.waiting.add(entry);
  }

  forget(entry: Cancellable): void {
    this.waiting.delete(entry);
  }

  /** Call once the send is over. */
  close(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.waiting.clear();
  }
}
