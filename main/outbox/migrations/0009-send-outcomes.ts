// Migration 9: a delivered send's timeline facts are stored once for all its records (send_outcomes), not once per record.
import type { Migration } from './migration.js';

/**
 * A batch of 500 records delivered in one request wrote 500 `record_events` rows with the same detail (latency, what
 * was sent, the code): about half of a settle's cost. Now the send writes one `send_outcomes` row, and each record's
 * settle, which rewrites its row anyway, points at it with `outcome_id`. The timeline shows that row as the record's
 * `delivered` step, with the record's own receipt. Older `delivered` events stay in `record_events` and read as before.
 * Retention removes an outcome with the last of its records: they share the settle time (`at` = `settled_at`).
 */
export const sendOutcomes: Migration = {
  version: 9,
  name: 'send-outcomes',
  up(db) {
    db.exec(`
      CREATE TABLE send_outcomes (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,                          -- the settle time: settled_at of every record pointing here
        kind   TEXT    NOT NULL CHECK (kind = 'delivered'),
        detail TEXT    NOT NULL                           -- JSON: latency, traceparent, request summary (no receipt)
      ) STRICT;
      CREATE INDEX send_outcomes_by_at ON send_outcomes (at);
      ALTER TABLE records ADD COLUMN outcome_id INTEGER;  -- send_outcomes.id of the send that delivered it
    `);
  },
};
