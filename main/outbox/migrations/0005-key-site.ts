// Migration 5: records remember the site id (agent.siteId) they were captured under, which prefixes their sent key.
import type { Migration } from './migration.js';

/**
 * The key a record is sent with is `<key_site>:<idempotency_key>`, or the bare key when key_site is NULL. Records
 * stored before this migration (or without agent.siteId) keep NULL, so the key they are sent with never changes.
 */
export const keySite: Migration = {
  version: 5,
  name: 'key-site',
  up(db) {
    db.exec('ALTER TABLE records ADD COLUMN key_site TEXT');
  },
};
