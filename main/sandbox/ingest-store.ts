// Durable memory of the sandbox ingest API: which Idempotency-Keys it applied, with what payload, and the items inside.
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

/** One applied request (one Idempotency-Key). */
export interface AppliedRecord {
  seq: number;
  key: string;
  path: string;
  contentType: string;
  body: Buffer;
  appliedAt: number;
}

/** One record inside an applied request: an element of a JSON array body, a line of NDJSON, or the whole body. */
export interface AppliedItem {
  /** The Idempotency-Key of the request that carried it. */
  key: string;
  /** Apply order of that request. */
  seq: number;
  /** Position inside the request (0 for a single payload). */
  index: number;
  path: string;
  contentType: string;
  /** The item's bytes: the JSON element re-serialised, the NDJSON line, or the whole body. */
  body: Buffer;
  appliedAt: number;
}

export interface StoredKey {
  fingerprint: string;
  seq: number;
  items: number;
}

export interface ApplyResult {
  seq: number;
  items: number;
}

const ndjsonTypes = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl']);

const mediaType = (contentType: string) => (contentType.split(';')[0] ?? '').trim().toLowerCase();

/**
 * Splits a request body into the records it carries: `application/json` (or `+json`) whose body is an array → its
 * elements; NDJSON → its non-empty lines; anything else → the body itself. A single record whose payload happens to
 * be a JSON array is indistinguishable from a batch and is listed element by element.
 */
export function splitItems(contentType: string, body: Buffer): Buffer[] {
  const type = mediaType(contentType);
  if (ndjsonTypes.has(type)) {
    return body
      .toString('utf8')
      .split('\n')
      .map((line) => line.replace(/\r$/, ''))
      .filter((line) => line.trim() !== '')
      .map((line) => Buffer.from(line, 'utf8'));
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return [body];
    }
    if (Array.isArray(parsed)) return parsed.map((element) => Buffer.from(JSON.stringify(element), 'utf8'));
  }
  return [body];
}

export class IngestStore {
  private readonly db: SqliteDatabase;
  private readonly findKey: Statement;
  private readonly insertApplied: Statement;
  private readonly insertKey: Statement;
  private readonly listApplied: Statement;
  private readonly recent: Statement;
  private readonly applyTransaction: (
    key: string,
    fingerprint: string,
    path: string,
    contentType: string,
    body: Buffer,
    at: number,
    items: number,
  ) => number;

  /** `file` ':memory:' keeps nothing across restarts; the sandbox uses a file so a restart never re-applies a key. */
  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS applied (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, path TEXT NOT NULL,
        content_type TEXT NOT NULL, body BLOB NOT NULL, applied_at INTEGER NOT NULL, items INTEGER NOT NULL DEFAULT 1);
      CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, seq INTEGER NOT NULL);`);
    // Sandbox stores written before batches were counted lack the column; each of their requests held one record.
    const columns = this.db.prepare("SELECT name FROM pragma_table_info('applied')").pluck().all();
    if (!columns.includes('items'))
      this.db.exec('ALTER TABLE applied ADD COLUMN items INTEGER NOT NULL DEFAULT 1');
    this.findKey = this.db.prepare(
      'SELECT k.fingerprint, k.seq, a.items FROM idempotency_keys k JOIN applied a ON a.seq = k.seq WHERE k.key = ?',
    );
    this.insertApplied = this.db.prepare(
      'INSERT INTO applied (key, path, content_type, body, applied_at, items) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertKey = this.db.prepare('INSERT INTO idempotency_keys (key, fingerprint, seq) VALUES (?, ?, ?)');
    this.listApplied = this.db.prepare('SELECT * FROM applied ORDER BY seq');
    this.recent = this.db.prepare('SELECT * FROM applied ORDER BY seq DESC LIMIT ?');
    this.applyTransaction = this.db.transaction(
      (
        key: string,
        fingerprint: string,
        path: string,
        contentType: string,
        body: Buffer,
        at: number,
        items,
      ) => {
        const seq = Number(this.insertApplied.run(key, path, contentType, body, at, items).lastInsertRowid);
        this.insertKey.run(key, fingerprint, seq);
        return seq;
      },
    );
  }

  /** Stores the request and its key in one transaction. */
  apply(
    key: string,
    fingerprint: string,
    path: string,
    contentType: string,
    body: Buffer,
    at: number,
  ): ApplyResult {
    const items = splitItems(contentType, body).length;
    return { seq: this.applyTransaction(key, fingerprint, path, contentType, body, at, items), items };
  }

  lookup(key: string): StoredKey | undefined {
    return this.findKey.get(key) as StoredKey | undefined;
  }

  all(): AppliedRecord[] {
    return (this.listApplied.all() as Record<string, unknown>[]).map(toApplied);
  }

  /** Every record applied so far, in apply order (request by request, then position inside the request). */
  items(): AppliedItem[] {
    return this.all().flatMap((r) =>
      splitItems(r.contentType, r.body).map((body, index) => ({
        key: r.key,
        seq: r.seq,
        index,
        path: r.path,
        contentType: r.contentType,
        body,
        appliedAt: r.appliedAt,
      })),
    );
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
