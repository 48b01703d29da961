// Contract events of the web console over one EventSource (/api/events), reconnecting with capped exponential backoff.

/** EventSource.CLOSED (the constant itself is not there before the page has an EventSource). */
const closedState = 2;

export type EventSourceFactory = (url: string) => EventSource;

export interface ConsoleEventsOptions {
  /** Read at each (re)connect: it carries the session's header token, known once signed in. */
  url: () => string;
  createEventSource: EventSourceFactory;
  /** Resolves once signed in (session cookie set, header token known). */
  ready: Promise<void>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}

/** Connects on the first listener, disconnects after the last one leaves. */
export class ConsoleEvents {
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private source: EventSource | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;

  constructor(private readonly options: ConsoleEventsOptions) {}

  on(event: string, listener: (payload: unknown) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    const isNewName = set.size === 0;
    this.listeners.set(event, set);
    set.add(listener);
    if (this.source && isNewName) this.listen(this.source, event);
    if (!this.source && this.timer === undefined) void this.options.ready.then(() => this.connect());
    return () => {
      set.delete(listener);
      if ([...this.listeners.values()].every((s) => s.size === 0)) this.disconnect();
    };
  }

  private get wanted(): boolean {
    return [...this.listeners.values()].some((s) => s.size > 0);
  }

  private connect(): void {
    this.timer = undefined;
    if (this.source || !this.wanted) return;
    const source = this.options.createEventSource(this.options.url());
    this.source = source;
    for (const event of this.listeners.keys()) this.listen(source, event);
    source.onopen = () => {
      this.failures = 0;
    };
    source.onerror = () => {
      // The browser retries dropped connections itself; an answer like 401 or 503 closes the source for good.
      if (source.readyState !== closedState) return;
      source.close();
      this.source = undefined;
      this.scheduleReconnect();
    };
  }

  private listen(source: EventSource, event: string): void {
    source.addEventListener(event, (message) => {
      let payload: unknown;
      try {
        payload = JSON.parse((message as MessageEvent<string>).data);
      } catch {
        return; // not from this agent's console; ignore
      }
      for (const listener of this.listeners.get(event) ?? []) listener(payload);
    });
  }

  private scheduleReconnect(): void {
    if (!this.wanted) return;
    const initial = this.options.initialBackoffMs ?? 1000;
    const max = this.options.maxBackoffMs ?? 30_000;
    const ceiling = Math.min(max, initial * 2 ** this.failures);
    this.failures += 1;
    const delay = Math.max(initial / 2, ceiling * (this.options.random ?? Math.random)());
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private disconnect(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.source?.close();
    this.source = undefined;
    this.failures = 0;
  }
}
