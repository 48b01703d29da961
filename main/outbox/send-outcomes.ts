// The timeline facts of a delivered send, stored once for all its records (send_outcomes, schema 9), and read back per record.
import type { Database, Statement } from 'better-sqlite3';
import { boundLimit } from './bound-limit.js';

/** A record's `delivered` step from its send's outcome: when, and the send's facts (the receipt is the record's). */
export interface DeliveredStep {
  at: number;
  detail: Record<string, unknown>;
}

export class SendOutcomes {
  private readonly insert: Statement;
  private readonly ofRecord: Statement;
  private readonly removeBefore: Statement;

  constructor(db: Database) {
    this.insert = db
      .prepare(`INSERT INTO send_outcomes (at, kind, detail) VALUES (?, 'delivered', ?) RETURNING id`)
      .pluck();
    this.ofRecord = db.prepare(`
      SELECT o.at, o.detail FROM records r JOIN send_outcomes o ON o.id = r.outcome_id WHERE r.id = ?`);
    this.removeBefore = db.prepare(`
      DELETE FROM send_outcomes WHERE id IN (SELECT id FROM send_outcomes WHERE at < ? LIMIT ${boundLimit('?')})`);
  }

  /**
   * Call inside the settle's transaction, then point each delivered record's `outcome_id` at the id returned. A record
   * whose lease turned out stale does not point at it; retention removes such an outcome with its time.
   */
  add(at: number, detailJson: string): number {
    return this.insert.get(at, detailJson) as number;
  }

  /** The `delivered` step of a record delivered since schema 9, or undefined (not delivered, or an older event row). */
  deliveredStep(recordId: number): DeliveredStep | undefined {
    const row = this.ofRecord.get(recordId) as { at: number; detail: string } | undefined;
    return row && { at: row.at, detail: JSON.parse(row.detail) as Record<string, unknown> };
  }

  /**
   * Removes up to `limit` outcomes settled before `cutoff`; returns how many. Only once retention removed every record
   * settled before `cutoff`: an outcome's records were settled at its `at`, so none of them is left.
   */
  removeSettledBefore(cutoff: number, limit: number): number {
    return this.removeBefore.run(cutoff, limit).changes;
  }
}
