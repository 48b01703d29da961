// The web console's live link to the agent: connecting, live, reconnecting (agent unreachable) or signed out (session gone).

export type Link = 'connecting' | 'live' | 'reconnecting' | 'signed-out';

export interface LinkWatch {
  readonly current: Link;
  /** Since when the link is not live (epoch ms), for "disconnected since 10:42:05". */
  readonly downSince: number | undefined;
  subscribe(listener: (link: Link) => void): () => void;
  /** Reconnect now instead of waiting for the next backoff step. */
  retryNow(): void;
}

/** Holds the link state; the transport sets it, the page subscribes. A signed-out link stays so until a reload. */
export class LinkState implements LinkWatch {
  private state: Link = 'connecting';
  private since: number | undefined;
  private readonly listeners = new Set<(link: Link) => void>();
  private retry: () => void = () => undefined;

  constructor(private readonly now: () => number = Date.now) {}

  get current(): Link {
    return this.state;
  }

  get downSince(): number | undefined {
    return this.since;
  }

  set(next: Link): void {
    if (next === this.state || this.state === 'signed-out') return;
    if (next === 'live') this.since = undefined;
    else if (this.since === undefined && next !== 'connecting') this.since = this.now();
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }

  subscribe(listener: (link: Link) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onRetry(retry: () => void): void {
    this.retry = retry;
  }

  retryNow(): void {
    this.retry();
  }
}
