// PRAGMA statements prepared once per connection: better-sqlite3's db.pragma() prepares its statement on every call.
import type { Database, Statement } from 'better-sqlite3';

const prepared = new WeakMap<Database, Map<string, Statement>>();

/**
 * The prepared `PRAGMA …` statement for this text. The hot paths switch and read pragmas around every lease, settle
 * and enqueue; preparing each time was about 2 % of the agent's CPU in a files run (one file per request).
 */
function pragmaStatement(db: Database, text: string, read: boolean): Statement {
  let statements = prepared.get(db);
  if (!statements) prepared.set(db, (statements = new Map<string, Statement>()));
  let statement = statements.get(text);
  if (!statement) {
    statement = db.prepare(`PRAGMA ${text}`);
    if (read) statement.pluck();
    statements.set(text, statement);
  }
  return statement;
}

/** The value of a pragma that has one (`synchronous`, `data_version`, …). */
export function readPragma(db: Database, name: string): unknown {
  return pragmaStatement(db, name, true).get();
}

/** Sets a pragma (`synchronous = NORMAL`); the text should come from a small fixed set, each is kept prepared. */
export function setPragma(db: Database, assignment: string): void {
  pragmaStatement(db, assignment, false).run();
}
