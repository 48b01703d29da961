// Migration 1: the records table (the outbox proper) and per-source checkpoints.
import type { Migration } from './migration.js';

export const recordsAndCheckpoints: Migration = {
  version: 1,
  name: 'records-and-checkpoints',
  up(db) {
    db.exec(`
      CREATE TABLE records (
        id               INTEGER PRIMARY KEY,            -- capture order
        connection       TEXT    NOT NULL,               -- the connection (source -> destination) it belongs to
        idempotency_key  TEXT    NOT NULL,
        ordering_key     TEXT    NOT NULL,
        business_key     TEXT,
        content_type     TEXT    NOT NULL,
        payload          BLOB,                           -- NULL once compacted by retention
        size             INTEGER NOT NULL,
        origin           TEXT,                           -- JSON: where the change came from
        created_at       INTEGER NOT NULL,               -- ms since epoch
        state            TEXT    NOT NULL CHECK (state IN ('pending','leased','delivered','dead','discarded')),
        blocked          INTEGER NOT NULL DEFAULT 0,     -- 1 while an older record of the same ordering key is open
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        lease_token      TEXT,
        lease_expires_at INTEGER,
        last_error       TEXT,
        receipt          TEXT,                           -- JSON Receipt once delivered
        settled_at       INTEGER                         -- when it became delivered / dead / discarded
      ) STRICT;

      CREATE UNIQUE INDEX records_by_key ON records (connection, idempotency_key);
      CREATE INDEX records_by_state ON records (connection, state, id);
      CREATE INDEX records_ready ON records (connection, next_attempt_at, id)
        WHERE state = 'pending' AND blocked = 0;
      CREATE INDEX records_open_by_ordering_key ON records (connection, ordering_key, id)
        WHERE state IN ('pending', 'leased');
      CREATE INDEX records_by_business_key ON records (business_key) WHERE business_key IS NOT NULL;
      CREATE INDEX records_compactable ON records (settled_at)
        WHERE payload IS NOT NULL AND state IN ('delivered', 'discarded');
      CREATE INDEX records_expirable ON records (settled_at) WHERE state IN ('delivered', 'discarded');

      CREATE TABLE checkpoints (
        source     TEXT    NOT NULL,
        key        TEXT    NOT NULL,
        value      TEXT    NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (source, key)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
