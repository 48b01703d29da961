// Applies numbered migrations, one transaction each, tracking the schema version in PRAGMA user_version.
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/index.js';

/** The database was written by a newer agent; opening it would risk corrupting data this version does not understand. */
export class NewerSchemaError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The outbox ${file} has schema version ${found}, but this agent only understands up to version ${supported}. ` +
        `It was written by a newer agent. Fix: install that newer agent version again (nothing in the file was changed).`,
    );
    this.name = 'NewerSchemaError';
  }
}

/** A read-only open of an outbox this agent has not upgraded yet: reading it with this version's statements would fail. */
export class OlderSchemaError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly current: number,
  ) {
    super(
      `The outbox ${file} has schema version ${found}; this agent version reads version ${current}, and a read-only ` +
        `command does not upgrade it. Fix: start the agent once (integration-agent run, or its service): it upgrades ` +
        `the file in place, in one transaction, keeping every record; then run this command again.`,
    );
    this.name = 'OlderSchemaError';
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database up to `target` (default: the last migration). Each step commits on its own, so a crash mid-way resumes cleanly. */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
  target = migrations.length,
): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migration list is broken: position ${i + 1} holds version ${m.version}`);
  });
  const found = schemaVersion(db);
  if (found > migrations.length) throw new NewerSchemaError(db.name, found, migrations.length);
  const applied: number[] = [];
  for (const m of migrations.slice(found, target)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
