// Migration 2: per-record timeline events and the audit log of operator and agent actions.
import type { Migration } from './migration.js';

export const timelineAndAudit: Migration = {
  version: 2,
  name: 'timeline-and-audit',
  up(db) {
    db.exec(`
      CREATE TABLE record_events (
        id        INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
        at        INTEGER NOT NULL,
        kind      TEXT    NOT NULL,   -- attempt | delivered | dead | replayed | discarded | lease-expired
        detail    TEXT                -- JSON
      ) STRICT;
      CREATE INDEX record_events_by_record ON record_events (record_id, id);

      CREATE TABLE audit_log (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        actor  TEXT    NOT NULL,      -- 'agent', 'cli', a UI role…
        action TEXT    NOT NULL,      -- dead-letter.replay, dead-letter.discard, outbox.quarantined…
        target TEXT,
        detail TEXT                   -- JSON
      ) STRICT;
      CREATE INDEX audit_log_by_action ON audit_log (action, id);
    `);
  },
};
