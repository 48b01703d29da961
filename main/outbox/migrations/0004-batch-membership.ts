// Migration 4: records remember the batch they were first sent in, so a retried batch keeps its members and its key.
import type { Migration } from './migration.js';

/**
 * A batch's Idempotency-Key is derived from its members. If a retry regrouped the records, the key would change and
 * the server could apply a record twice; so the batch key is stored on the members when the batch is formed and a
 * retry leases exactly the open members of that batch again. The partial index only holds open batched records.
 */
export const batchMembership: Migration = {
  version: 4,
  name: 'batch-membership',
  up(db) {
    db.exec(`
      ALTER TABLE records ADD COLUMN batch_key TEXT;
      CREATE INDEX records_open_by_batch ON records (connection, batch_key, id)
        WHERE batch_key IS NOT NULL AND settled_at IS NULL;
    `);
  },
};
