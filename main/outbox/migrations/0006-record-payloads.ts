// Migration 6: payloads move to their own table, written once at enqueue, so state changes rewrite a small row.
import type { Migration } from './migration.js';

/** Above any real size cap: the copy briefly holds every payload twice, and must not fail on the outbox's own cap. */
const uncappedPages = 4294967294;

/**
 * Leasing, settling, retrying and replaying rewrite the whole records row; with the payload in it, that is ~1 KiB
 * (and its overflow pages) per change. `record_payloads` holds the payload under the record's id instead: inserted
 * once, deleted by compaction, and cascaded away when retention removes the record.
 *
 * A partial index cannot look into another table, so "compactable" (delivered or discarded, payload still kept) is
 * told by `compacted_at` on the record, set in the same transaction as the payload row is deleted. Records compacted
 * before this migration get their settle time, the time the old timeline showed for it.
 *
 * The two settled-record indexes no longer overlap: a settle used to add an entry to both records_compactable and
 * records_expirable (all settled records); now it adds one to records_compactable only, and compaction moves it to
 * records_compacted, which is what retention removes from.
 */
export const recordPayloads: Migration = {
  version: 6,
  name: 'record-payloads',
  up(db) {
    const cap = db.pragma('max_page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${uncappedPages}`);
    try {
      db.exec(`
        CREATE TABLE record_payloads (
          record_id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
          payload   BLOB    NOT NULL
        ) STRICT;
        INSERT INTO record_payloads (record_id, payload) SELECT id, payload FROM records WHERE payload IS NOT NULL;

        ALTER TABLE records ADD COLUMN compacted_at INTEGER;  -- when retention deleted the payload row
        UPDATE records SET compacted_at = coalesce(settled_at, created_at) WHERE payload IS NULL;

        DROP INDEX records_compactable;
        DROP INDEX records_expirable;
        ALTER TABLE records DROP COLUMN payload;
        CREATE INDEX records_compactable ON records (settled_at)
          WHERE compacted_at IS NULL AND state IN ('delivered', 'discarded');
        CREATE INDEX records_compacted ON records (settled_at)
          WHERE compacted_at IS NOT NULL AND state IN ('delivered', 'discarded');
      `);
    } finally {
      db.pragma(`max_page_count = ${cap}`);
    }
  },
};
