// Makes the outbox's committed WAL frames durable with an fsync on libuv's thread pool, off the event loop.
import { open } from 'node:fs/promises';

/**
 * For commits made without an fsync (synchronous = NORMAL for one transaction) whose outcome nobody may act on
 * before it is on disk: `durable()` resolves once everything committed before the call is. Calls that arrive while
 * an fsync runs (it may have started before their commit) share the next one, so a burst of commits costs two fsyncs
 * however long it is. The WAL file is opened per fsync: SQLite may truncate it, and another connection's close may
 * remove and recreate it.
 */
export class WalSync {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly walFile: string) {}

  durable(): Promise<void> {
    if (this.running) {
      const running = this.running;
      return (this.queued ??= running.then(() => {
        this.queued = undefined;
        return this.durable();
      }));
    }
    const run = this.fsync().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async fsync(): Promise<void> {
    let handle;
    try {
      handle = await open(this.walFile, 'r');
    } catch (error) {
      // No WAL file: every commit is in the database file already (checkpointed, and synced by that checkpoint).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
