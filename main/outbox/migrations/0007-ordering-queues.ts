// Migration 7: each ordering key's open records queue by pointers with a stored tail, so a settle unblocks by id.
import type { Migration } from './migration.js';

/**
 * Until schema 6, per-key FIFO leaned on `records_open_by_ordering_key`, an index of the open records by ordering
 * key: every settle deleted the settled record's entry and searched it for the key's next open record. Ordering keys
 * lie at random in that index, so a settle of 500 records dirtied about as many index pages, more the larger the
 * backlog (the drain with 100,000 records waiting ran at 0.6× the one with 10,000).
 *
 * Now a record that is not its key's head names the record it waits for (`waits_for`, the one queued right before
 * it; indexed while it is blocked), and `ordering_tails` holds the last record queued for each key. A record opening
 * (captured, replayed, remapped) waits for the key's tail if that is still open and becomes the tail; a record
 * closing turns the one waiting for it into the head (ordering-queue.ts, one statement per settle). The index entries
 * a settle touches are keyed by the settled records' ids, which lie together. A trigger removes the tail entry of a
 * record that retention deletes.
 *
 * The queues are built here in the order the old code followed: the key's head first, then its blocked records
 * oldest first.
 */
export const orderingQueues: Migration = {
  version: 7,
  name: 'ordering-queues',
  up(db) {
    db.exec(`
      ALTER TABLE records ADD COLUMN waits_for INTEGER;  -- while blocked: the record of its key queued right before it
      CREATE TABLE ordering_tails (
        connection   TEXT    NOT NULL,
        ordering_key TEXT    NOT NULL,
        record_id    INTEGER NOT NULL,                    -- the last record queued for the key (open or not)
        PRIMARY KEY (connection, ordering_key)
      ) STRICT, WITHOUT ROWID;

      CREATE TEMP TABLE queue_order AS
        SELECT id, blocked, connection, ordering_key,
          lag(id) OVER (PARTITION BY connection, ordering_key ORDER BY blocked, id) AS previous,
          row_number() OVER (PARTITION BY connection, ordering_key ORDER BY blocked DESC, id DESC) AS from_tail
        FROM records WHERE settled_at IS NULL;
      UPDATE records SET waits_for = q.previous, blocked = q.previous IS NOT NULL
        FROM queue_order q WHERE records.id = q.id AND q.previous IS NOT NULL;
      INSERT INTO ordering_tails (connection, ordering_key, record_id)
        SELECT connection, ordering_key, id FROM queue_order WHERE from_tail = 1;
      DROP TABLE queue_order;

      DROP INDEX records_open_by_ordering_key;
      CREATE INDEX records_waiting ON records (waits_for) WHERE blocked = 1;

      CREATE TRIGGER ordering_queue_on_delete AFTER DELETE ON records BEGIN
        DELETE FROM ordering_tails
        WHERE connection = OLD.connection AND ordering_key = OLD.ordering_key AND record_id = OLD.id;
      END;
    `);
  },
};
