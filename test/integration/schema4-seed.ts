// Builds a schema-4 outbox file (migrations 1-4 only) holding records in every state, as an older agent left it.
import Database from 'better-sqlite3';
import { migrate } from '../../main/outbox/migrate.js';
import { outboxMigrations } from '../../main/outbox/migrations/index.js';

export const seedStart = Date.UTC(2024, 0, 15, 9, 0, 0);

/** Record i's state by i % 10: 0-3 pending (3: of a batch sent before), 4 leased in a batch, 5 dead, 6-9 delivered. */
export function seededState(i: number): 'pending' | 'leased' | 'dead' | 'delivered' {
  const r = i % 10;
  return r <= 3 ? 'pending' : r === 4 ? 'leased' : r === 5 ? 'dead' : 'delivered';
}

/** Record i was delivered long enough ago that retention dropped its payload (a receipt only). */
export const isCompacted = (i: number) => i % 20 === 8;

export const seededConnection = (i: number, total: number) => (i < total / 2 ? 'conn-a' : 'conn-b');

/** The stored batch key of record i, if it has one: leased batches, batches due for retry, delivered batches. */
export function seededBatchKey(i: number): string | null {
  const r = i % 10;
  if (r === 3) return `retry-batch-${Math.floor(i / 1000)}`;
  if (r === 4) return `leased-batch-${Math.floor(i / 1000)}`;
  if (r === 9) return `done-batch-${Math.floor(i / 1000)}`;
  return null;
}

export function seedSchema4Outbox(file: string, total: number): void {
  const db = new Database(file);
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  migrate(db, outboxMigrations, 4);
  const insert = db.prepare(`INSERT INTO records (id, connection, idempotency_key, ordering_key, business_key,
    content_type, payload, size, origin, created_at, state, blocked, attempts, next_attempt_at, lease_token,
    lease_expires_at, last_error, receipt, settled_at, batch_key)
    VALUES (@id, @connection, @key, @ordering, @business, 'application/json', @payload, @size, @origin, @created, @state,
    0, @attempts, @next, @token, @expires, @error, @receipt, @settled, @batch)`);
  const event = db.prepare('INSERT INTO record_events (record_id, at, kind, detail) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < total; i++) {
      const state = seededState(i);
      const id = i + 1;
      const created = seedStart - (total - i) * 10;
      const payload = Buffer.from(JSON.stringify({ n: i, invoice: `INV-${i}`, amount: (i * 7) % 1000 }));
      const batch = seededBatchKey(i);
      const retried = i % 10 === 3;
      const attempts = state === 'dead' ? 5 : state === 'pending' ? (retried ? 2 : 0) : 1;
      const settled = state === 'dead' || state === 'delivered' ? created + 500 : null;
      insert.run({
        id,
        connection: seededConnection(i, total),
        key: `key-${i}`,
        ordering: `ok-${i}`,
        business: i % 3 === 0 ? `INV-${i}` : null,
        payload: isCompacted(i) ? null : payload,
        size: payload.length,
        origin: JSON.stringify({ table: 'invoices', row: i }),
        created,
        state,
        attempts,
        next: retried ? seedStart - 1 : created,
        token: state === 'leased' ? `token-${Math.floor(i / 1000)}` : null,
        expires: state === 'leased' ? seedStart + 60_000 : null,
        error: state === 'dead' ? 'HTTP 422 invalid invoice' : retried ? 'HTTP 503' : null,
        receipt:
          state === 'delivered'
            ? JSON.stringify({ code: 'HTTP 201', serverId: `srv-${i}`, at: settled })
            : null,
        settled,
        batch,
      });
      if (attempts > 0) event.run(id, created + 100, 'attempt', JSON.stringify({ status: 503 }));
      if (state === 'dead') event.run(id, created + 500, 'dead', JSON.stringify({ error: 'HTTP 422' }));
      if (state === 'delivered')
        event.run(id, created + 500, 'delivered', JSON.stringify({ code: 'HTTP 201' }));
    }
    const checkpoint = db.prepare(
      'INSERT INTO checkpoints (source, key, value, updated_at) VALUES (?, ?, ?, ?)',
    );
    checkpoint.run('conn-a', 'lsn', '0/16B3748', seedStart);
    checkpoint.run('conn-b', 'file', 'invoices-2024-01-15.csv:48213', seedStart);
    checkpoint.run('#conn-a', 'mapping-v1', 'sha256:abc', seedStart);
    db.prepare(
      `INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, 'cli', 'dead-letter.replay', 'conn-a', '{}')`,
    ).run(seedStart);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * Rows of `select` (a query over the main schema's tables) that differ between the open database and the file `other`,
 * counted both ways with EXCEPT inside SQLite: 0 means the same rows, byte for byte.
 */
export function differingRows(
  db: Database.Database,
  other: string,
  select: string,
  /** The same rows as the older schema of `other` holds them; default: `select` itself. */
  before = select,
): number {
  db.prepare('ATTACH DATABASE ? AS other').run(other);
  try {
    const theirs = before.replace(/\bFROM (\w+)/, 'FROM other.$1');
    const count = (sql: string) => db.prepare(`SELECT count(*) FROM (${sql})`).pluck().get() as number;
    return count(`${select} EXCEPT ${theirs}`) + count(`${theirs} EXCEPT ${select}`);
  } finally {
    db.exec('DETACH DATABASE other');
  }
}

const columns = `id, connection, idempotency_key, ordering_key, business_key, content_type, size, origin,
  created_at, blocked, attempts, next_attempt_at, last_error, receipt, settled_at, batch_key`;

/** Everything a schema-4 record holds. */
export const recordsExactly = `SELECT ${columns}, state, lease_token, lease_expires_at FROM records`;
/** The same, with the leases a restart voids already released (leased → pending, no token). */
export const recordsAfterRestart = `SELECT ${columns}, CASE state WHEN 'leased' THEN 'pending' ELSE state END FROM records`;
export const eventsAll = 'SELECT id, record_id, at, kind, detail FROM record_events';
export const checkpointsAll = 'SELECT source, key, value, updated_at FROM checkpoints';
export const auditAll = 'SELECT id, at, actor, action, target, detail FROM audit_log';
/** Every kept payload (schema 6 and later: in record_payloads), and where schema 4 held it. */
export const payloadsNow = 'SELECT record_id, payload FROM record_payloads';
export const payloadsInSchema4 = 'SELECT id, payload FROM records WHERE payload IS NOT NULL';
