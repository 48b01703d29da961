// The console's page (index.html) held in memory: one stat per request instead of a dozen file-system calls, each of
// which waits its turn on a busy event loop (an agent draining a backlog); a rebuilt page is noticed and read again.
import { readFile, stat } from 'node:fs/promises';

interface Held {
  path: string;
  mtimeMs: number;
  size: number;
  body: Buffer;
}

export class ConsolePage {
  private held: Held | undefined;

  /** `locate` finds the page inside the renderer folder (with the folder's own path checks); undefined: none built. */
  constructor(private readonly locate: () => Promise<string | undefined>) {}

  /** The page now, or undefined when none is built. Read at console start, so the first visitor costs one stat. */
  async current(): Promise<Buffer | undefined> {
    const held = this.held;
    if (held) {
      const info = await stat(held.path).catch(() => undefined);
      if (info && info.mtimeMs === held.mtimeMs && info.size === held.size) return held.body;
    }
    this.held = await this.read();
    return this.held?.body;
  }

  private async read(): Promise<Held | undefined> {
    const path = await this.locate().catch(() => undefined);
    if (path === undefined) return undefined;
    const [info, body] = await Promise.all([stat(path), readFile(path)]);
    // Changed between the stat and the read: held without a size match, so the next request reads it again.
    return { path, mtimeMs: info.mtimeMs, size: body.length === info.size ? info.size : -1, body };
  }
}
