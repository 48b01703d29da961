// Keeps the outbox file bounded: compacts old delivered records to a receipt, then removes them entirely.
import type { Database, Statement } from 'better-sqlite3';

export interface RetentionPolicy {
  /** Delivered/discarded records keep their payload this long, then only the receipt stays. */
  compactAfterMs: number;
  /** Receipts of delivered/discarded records are removed after this long. */
  removeAfterMs: number;
  /** Rows handled per transaction, so retention never holds the write lock for long. */
  chunk: number;
}

export interface RetentionResult {
  compacted: number;
  removed: number;
}

export class Retention {
  private readonly compact: Statement;
  private readonly remove: Statement;

  constructor(private readonly db: Database) {
    this.compact = db.prepare(`
      UPDATE records SET payload = NULL WHERE id IN (
        SELECT id FROM records WHERE payload IS NOT NULL AND state IN ('delivered', 'discarded') AND settled_at < ?
        LIMIT ?)`);
    this.remove = db.prepare(`
      DELETE FROM records WHERE id IN (
        SELECT id FROM records WHERE state IN ('delivered', 'discarded') AND settled_at < ? LIMIT ?)`);
  }

  run(policy: RetentionPolicy, now: number): RetentionResult {
    const result: RetentionResult = { compacted: 0, removed: 0 };
    // Remove first: compacting rows that are deleted a moment later would only rewrite them for nothing.
    for (;;) {
      const n = this.remove.run(now - policy.removeAfterMs, policy.chunk).changes;
      result.removed += n;
      if (n < policy.chunk) break;
    }
    for (;;) {
      const n = this.compact.run(now - policy.compactAfterMs, policy.chunk).changes;
      result.compacted += n;
      if (n < policy.chunk) break;
    }
    if (result.compacted + result.removed > 0) this.db.pragma('incremental_vacuum');
    return result;
  }
}
