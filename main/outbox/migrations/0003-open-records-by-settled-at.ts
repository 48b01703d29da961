// Migration 3: the index of open records per ordering key keys on settled_at IS NULL, so leasing no longer rewrites it.
import type { Migration } from './migration.js';

/**
 * `settled_at` is NULL exactly while a record is pending or leased (delivered, dead and discarded set it; replay clears
 * it). With `state IN (...)` as the partial-index condition, every pending → leased → pending move deleted and
 * re-inserted the record's entry; with `settled_at IS NULL` the entry stays put until the record is settled.
 */
export const openRecordsBySettledAt: Migration = {
  version: 3,
  name: 'open-records-by-settled-at',
  up(db) {
    db.exec(`
      DROP INDEX records_open_by_ordering_key;
      CREATE INDEX records_open_by_ordering_key ON records (connection, ordering_key, id) WHERE settled_at IS NULL;
    `);
  },
};
