// Open event streams of the console: capped in total and per session (or bearer token), all ended when the console closes.
import { HttpError } from './http-response.js';

export class StreamRegistry {
  private readonly open = new Map<() => void, string>();

  constructor(
    private readonly maxStreams: number,
    private readonly maxPerOwner: number,
  ) {}

  /** Throws 429 when the caps are reached; otherwise the caller may open a stream for `owner`. */
  assertRoom(owner: string): void {
    const mine = [...this.open.values()].filter((o) => o === owner).length;
    if (mine >= this.maxPerOwner) {
      throw new HttpError(
        429,
        'unavailable',
        `this session already has ${mine} event streams open`,
        'close other console tabs of this browser, or wait for them to disconnect',
      );
    }
    if (this.open.size >= this.maxStreams) {
      throw new HttpError(
        429,
        'unavailable',
        `the console already serves ${this.open.size} event streams`,
        'close other console tabs and try again',
      );
    }
  }

  /** Registers an open stream; returns the function that unregisters it. */
  track(owner: string, close: () => void): () => void {
    this.open.set(close, owner);
    return () => this.open.delete(close);
  }

  closeAll(): void {
    for (const close of [...this.open.keys()]) close();
  }
}
