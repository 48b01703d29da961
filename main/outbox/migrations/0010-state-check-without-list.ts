// Migration 10: the records' state CHECK is written as comparisons, not an IN list that costs a temp b-tree per write.
import type { Migration } from './migration.js';

/** The constraint as migration 1 wrote it. */
const listed = /CHECK \(state IN \('pending','leased','delivered','dead','discarded'\)\)/;
/** The same set of states: SQLite evaluates it with five comparisons. */
const compared =
  "CHECK (state = 'pending' OR state = 'leased' OR state = 'delivered' OR state = 'dead' OR state = 'discarded')";

/**
 * SQLite checks `state IN (…five values…)` by building an ephemeral b-tree of the list every time a statement that
 * writes `state` runs: a page cache, a 4 KiB page zeroed and five inserts, about 24,000 instructions, on every
 * enqueued record (a sixth of an enqueue) and every per-record settle. The accepted states stay exactly the same,
 * so the stored rows need no check and no rewrite: this is the change SQLite documents as safe to make in
 * sqlite_schema directly (ALTER TABLE, "making other kinds of table schema changes"), inside the migration's
 * transaction, with the schema version bumped so every connection parses the table again.
 */
export const stateCheckWithoutList: Migration = {
  version: 10,
  name: 'state-check-without-list',
  up(db) {
    const sql = db
      .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'records'`)
      .pluck()
      .get() as string;
    if (!listed.test(sql))
      throw new Error(
        'outbox migration 10: the records table does not carry the state CHECK that migration 1 wrote, so its ' +
          'schema was changed by something other than this agent. Fix: restore the outbox from a backup, or run ' +
          '`integration-agent outbox salvage` on it to carry its records over into a new outbox',
      );
    const schemaVersion = db.pragma('schema_version', { simple: true }) as number;
    // better-sqlite3 opens connections in defensive mode, which forbids writing sqlite_schema.
    db.unsafeMode(true);
    try {
      db.pragma('writable_schema = ON');
      db.prepare(`UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'records'`).run(
        sql.replace(listed, compared),
      );
      db.pragma(`schema_version = ${schemaVersion + 1}`);
      db.pragma('writable_schema = RESET'); // this connection parses the schema again too
    } finally {
      db.pragma('writable_schema = OFF');
      db.unsafeMode(false);
    }
  },
};
