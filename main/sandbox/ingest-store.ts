// Durable memory of the sandbox ingest API: which Idempotency-Keys it applied, with what payload and response.
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

export interface AppliedRecord {
  seq: number;
  key: string;
  path: string;
  contentType: string;
  body: Buffer;
  appliedAt: number;
}

export interface StoredKey {
  fingerprint: string;
  seq: number;
}

export class IngestStore {
  private readonly db: SqliteDatabase;
  private readonly findKey: Statement;
  private readonly insertApplied: Statement;
  private readonly insertKey: Statement;
  private readonly listApplied: Statement;
  private readonly recent: Statement;
  readonly apply: (
    key: string,
    fingerprint: string,
    path: string,
    contentType: string,
    body: Buffer,
    at: number,
  ) => number;

  /** `file` ':memory:' keeps nothing across restarts; the sandbox uses a file so a restart never re-applies a key. */
  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS applied (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, path TEXT NOT NULL,
        content_type TEXT NOT NULL, body BLOB NOT NULL, applied_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, seq INTEGER NOT NULL);`);
    this.findKey = this.db.prepare('SELECT fingerprint, seq FROM idempotency_keys WHERE key = ?');
    this.insertApplied = this.db.prepare(
      'INSERT INTO applied (key, path, content_type, body, applied_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertKey = this.db.prepare('INSERT INTO idempotency_keys (key, fingerprint, seq) VALUES (?, ?, ?)');
    this.listApplied = this.db.prepare('SELECT * FROM applied ORDER BY seq');
    this.recent = this.db.prepare('SELECT * FROM applied ORDER BY seq DESC LIMIT ?');
    this.apply = this.db.transaction(
      (key: string, fingerprint: string, path: string, contentType: string, body: Buffer, at: number) => {
        const seq = Number(this.insertApplied.run(key, path, contentType, body, at).lastInsertRowid);
        this.insertKey.run(key, fingerprint, seq);
        return seq;
      },
    );
  }

  lookup(key: string): StoredKey | undefined {
    return this.findKey.get(key) as StoredKey | undefined;
  }

  all(): AppliedRecord[] {
    return (this.listApplied.all() as Record<string, unknown>[]).map(toApplied);
  }

  latest(limit: number): AppliedRecord[] {
    return (this.recent.all(limit) as Record<string, unknown>[]).map(toApplied);
  }

  close(): void {
    this.db.close();
  }
}

function toApplied(row: Record<string, unknown>): AppliedRecord {
  return {
    seq: row.seq as number,
    key: row.key as string,
    path: row.path as string,
    contentType: row.content_type as string,
    body: row.body as Buffer,
    appliedAt: row.applied_at as number,
  };
}
