// The baseline: the same rows inserted by plain better-sqlite3 into an index-free table under the outbox's pragmas.
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import type { CapturedChange } from '../../connectors/core/change.js';

export interface PragmaSet {
  journal_mode: string;
  synchronous: number;
  page_size: number;
  auto_vacuum: number;
  cache_size: number;
}

export function readPragmas(db: SqliteDatabase): PragmaSet {
  const get = (name: string) => db.pragma(name, { simple: true }) as string | number;
  return {
    journal_mode: String(get('journal_mode')),
    synchronous: Number(get('synchronous')),
    page_size: Number(get('page_size')),
    auto_vacuum: Number(get('auto_vacuum')),
    cache_size: Number(get('cache_size')),
  };
}

export function describePragmas(p: PragmaSet): string {
  const sync = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][p.synchronous] ?? String(p.synchronous);
  const vacuum = ['NONE', 'FULL', 'INCREMENTAL'][p.auto_vacuum] ?? String(p.auto_vacuum);
  return `journal_mode=${p.journal_mode} synchronous=${sync} page_size=${p.page_size} auto_vacuum=${vacuum} cache_size=${p.cache_size}`;
}

/** A plain rowid table with the outbox row's columns and no secondary index, written in 1,000-row transactions. */
export class RawTable {
  readonly db: SqliteDatabase;
  private readonly insert: Statement;
  private readonly insertAll: (connection: string, changes: CapturedChange[], now: number) => void;

  constructor(file: string, pragmas: PragmaSet) {
    this.db = new Database(file);
    // page_size and auto_vacuum only take effect before the first table; WAL after page_size.
    this.db.pragma(`page_size = ${pragmas.page_size}`);
    this.db.pragma(`auto_vacuum = ${pragmas.auto_vacuum}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${pragmas.synchronous}`);
    this.db.pragma(`cache_size = ${pragmas.cache_size}`);
    this.db.exec(`
      CREATE TABLE rows (
        id INTEGER PRIMARY KEY, connection TEXT NOT NULL, idempotency_key TEXT NOT NULL, ordering_key TEXT NOT NULL,
        business_key TEXT, content_type TEXT NOT NULL, payload BLOB, size INTEGER NOT NULL, origin TEXT,
        created_at INTEGER NOT NULL, state TEXT NOT NULL, blocked INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL
      ) STRICT`);
    this.insert = this.db.prepare(`
      INSERT INTO rows (connection, idempotency_key, ordering_key, business_key, content_type, payload, size, origin,
                        created_at, state, blocked, next_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)`);
    this.insertAll = this.db.transaction((connection: string, changes: CapturedChange[], now: number) => {
      for (const c of changes) {
        this.insert.run(
          connection,
          c.idempotencyKey,
          c.orderingKey,
          c.businessKey ?? null,
          c.contentType,
          c.payload,
          c.payload.length,
          null,
          now,
          now,
        );
      }
    });
  }

  insertBatch(connection: string, changes: CapturedChange[], now: number): void {
    this.insertAll(connection, changes, now);
  }

  count(): number {
    return this.db.prepare('SELECT count(*) FROM rows').pluck().get() as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
