// The one way a row enters record_events: a step of a record's timeline, with its kind and JSON detail.
import type { Database, Statement } from 'better-sqlite3';
import type { TimelineEvent } from './timeline.js';

/** The kinds stored as rows ('captured', 'queued' and 'compacted' are derived from the record itself). */
export type StoredEventKind = Exclude<TimelineEvent['kind'], 'captured' | 'queued' | 'compacted'>;

export class RecordEvents {
  private readonly insert: Statement;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT INTO record_events (record_id, at, kind, detail) VALUES (?, ?, ?, ?)');
  }

  /** Call inside the transaction that changes the record, so the timeline never disagrees with its state. */
  add(recordId: number | bigint, at: number, kind: StoredEventKind, detail?: object): void {
    this.insert.run(recordId, at, kind, detail === undefined ? null : JSON.stringify(detail));
  }
}
