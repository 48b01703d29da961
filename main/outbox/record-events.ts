// The one way a row enters record_events: a step of a record's timeline, with its kind and JSON detail.
import type { Database, Statement } from 'better-sqlite3';
import type { TimelineEvent } from './timeline.js';

/** The kinds stored as rows ('captured', 'queued' and 'compacted' are derived from the record itself). */
export type StoredEventKind = Exclude<TimelineEvent['kind'], 'captured' | 'queued' | 'compacted'>;

export class RecordEvents {
  private readonly insert: Statement;
  private readonly insertMany: Statement;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT INTO record_events (record_id, at, kind, detail) VALUES (?, ?, ?, ?)');
    this.insertMany = db.prepare(`
      INSERT INTO record_events (record_id, at, kind, detail)
      SELECT value ->> 0, @at, @kind, value ->> 1 FROM json_each(@events) ORDER BY key`);
  }

  /** Call inside the transaction that changes the record, so the timeline never disagrees with its state. */
  add(recordId: number | bigint, at: number, kind: StoredEventKind, detail?: object): void {
    this.insert.run(recordId, at, kind, detail === undefined ? null : JSON.stringify(detail));
  }

  /** One event of the same kind and time for each record, in the order given, with one statement. */
  addMany(at: number, kind: StoredEventKind, events: readonly { recordId: number; detail: object }[]): void {
    if (events.length === 0) return;
    const rows = events.map((e) => [e.recordId, JSON.stringify(e.detail)]);
    this.insertMany.run({ at, kind, events: JSON.stringify(rows) });
  }
}
