// Contract events of the web console over one EventSource (/api/events), reconnecting with capped exponential backoff.
import type { LinkState } from './link-state.js';

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
  /** Told live / reconnecting / signed out as the stream opens, drops and is refused. */
  link?: LinkState;
  /** After the stream is refused: true when the session is gone (then there is no point reconnecting). */
  signedOut?: () => Promise<boolean>;
}

/** EventSource.CONNECTING: the browser itself is retrying a dropped stream. */
const connectingState = 0;

/** Connects on the first listener, disconnects after the last one leaves. */
export class ConsoleEvents {
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private source: EventSource | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;

  constructor(private readonly options: ConsoleEventsOptions) {
    options.link?.onRetry(() => this.retryNow());
  }

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
      this.options.link?.set('live');
    };
    source.onerror = () => {
      // The browser retries dropped connections itself; an answer like 401 or 503 closes the source for good.
      if (source.readyState === connectingState) this.options.link?.set('reconnecting');
      if (source.readyState !== closedState) return;
      source.close();
      this.source = undefined;
      void this.afterRefusal();
    };
  }

  private async afterRefusal(): Promise<void> {
    const gone = await (this.options.signedOut?.() ?? Promise.resolve(false)).catch(() => false);
    if (gone) {
      this.options.link?.set('signed-out');
      return;
    }
    this.options.link?.set('reconnecting');
    this.scheduleReconnect();
  }

  private retryNow(): void {
    if (this.options.link?.current === 'signed-out') return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.source?.close();
    this.source = undefined;
    this.connect();
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
