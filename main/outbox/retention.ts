// Keeps the outbox file bounded: compacts old delivered records to a receipt, then removes them entirely.
import type { Database, Statement } from 'better-sqlite3';
import { SendOutcomes } from './send-outcomes.js';
import { boundLimit } from './bound-limit.js';

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
  private readonly compact: (cutoff: number, limit: number, now: number) => number;
  private readonly remove: Statement;
  private readonly outcomes: SendOutcomes;

  constructor(private readonly db: Database) {
    this.outcomes = new SendOutcomes(db);
    const compact = db
      .prepare(
        `UPDATE records SET compacted_at = ? WHERE id IN (
           SELECT id FROM records WHERE compacted_at IS NULL AND state IN ('delivered', 'discarded') AND settled_at < ?
           LIMIT ${boundLimit('?')})
         RETURNING id`,
      )
      .pluck();
    const deletePayloads = db.prepare(
      'DELETE FROM record_payloads WHERE record_id IN (SELECT value FROM json_each(?))',
    );
    // The payload rows go and their records say so (what records_compactable keys on), in one transaction.
    const compactChunk = db.transaction((cutoff: number, limit: number, now: number) => {
      const ids = compact.all(now, cutoff, limit) as number[];
      deletePayloads.run(JSON.stringify(ids));
      return ids.length;
    });
    this.compact = (cutoff, limit, now) => compactChunk.immediate(cutoff, limit, now);
    // Compacted records, and (when removal is due before compaction ran) ones still holding a payload: both indexed.
    this.remove = db.prepare(`
      DELETE FROM records WHERE id IN (
        SELECT id FROM records WHERE compacted_at IS NOT NULL AND state IN ('delivered', 'discarded') AND settled_at < @cutoff
        UNION ALL
        SELECT id FROM records WHERE compacted_at IS NULL AND state IN ('delivered', 'discarded') AND settled_at < @cutoff
        LIMIT ${boundLimit('@limit')})`);
  }

  run(policy: RetentionPolicy, now: number): RetentionResult {
    const result: RetentionResult = { compacted: 0, removed: 0 };
    // Remove first (their payload rows cascade away): compacting rows deleted a moment later would be work for nothing.
    for (;;) {
      const n = this.remove.run({ cutoff: now - policy.removeAfterMs, limit: policy.chunk }).changes;
      result.removed += n;
      if (n < policy.chunk) break;
    }
    // With every record settled before the cutoff gone, so are the records of every send outcome from before it.
    while (this.outcomes.removeSettledBefore(now - policy.removeAfterMs, policy.chunk) === policy.chunk);
    for (;;) {
      const n = this.compact(now - policy.compactAfterMs, policy.chunk, now);
      result.compacted += n;
      if (n < policy.chunk) break;
    }
    if (result.compacted + result.removed > 0) this.db.pragma('incremental_vacuum');
    return result;
  }
}
