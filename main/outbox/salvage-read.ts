// Reads what it can of a damaged or quarantined outbox file: open and dead records, first in one query, then row by row.
import Database from 'better-sqlite3';

/** A record worth saving: still to be delivered (pending, leased) or a dead letter someone may replay. */
export interface SalvagedRecord {
  id: number;
  connection: string;
  idempotencyKey: string;
  orderingKey: string;
  businessKey: string | null;
  contentType: string;
  payload: Buffer;
  origin: Record<string, string | number> | undefined;
  state: 'pending' | 'dead';
  /** The site id its key was sent under (outbox schema 5 and later). */
  keySite: string | null;
  lastError: string | null;
}

export interface SalvageRead {
  records: SalvagedRecord[];
  /** 'query': one full read worked; 'per-row': the file is damaged and rows were read one by one. */
  method: 'query' | 'per-row';
  /** Row ids that could not be read (per-row only), as ranges "from-to". */
  unreadable: string[];
  unreadableRows: number;
  /** What went wrong with the whole-table read, when it did. */
  problem?: string;
}

interface Row {
  id: number;
  connection: string;
  idempotency_key: string;
  ordering_key: string;
  business_key: string | null;
  content_type: string;
  payload: Buffer;
  origin: string | null;
  state: string;
  key_site: string | null;
  last_error: string | null;
}

const wanted = "state IN ('pending', 'leased', 'dead')";

function toSalvaged(row: Row): SalvagedRecord | undefined {
  if (typeof row.idempotency_key !== 'string' || !Buffer.isBuffer(row.payload)) return undefined;
  let origin: SalvagedRecord['origin'];
  try {
    origin = row.origin ? (JSON.parse(row.origin) as SalvagedRecord['origin']) : undefined;
  } catch {
    origin = undefined;
  }
  return {
    id: row.id,
    connection: row.connection,
    idempotencyKey: row.idempotency_key,
    orderingKey: row.ordering_key,
    businessKey: row.business_key,
    contentType: row.content_type,
    payload: row.payload,
    origin,
    state: row.state === 'dead' ? 'dead' : 'pending',
    keySite: row.key_site,
    lastError: row.last_error,
  };
}

/** "3-7", "9": consecutive ids folded into ranges. */
function ranges(ids: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length;) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j += 1;
    out.push(i === j ? String(ids[i]) : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return out;
}

/** The highest row id the file admits to, or a bound found by probing when even that read fails. */
function highestId(db: Database.Database): number {
  try {
    const max = db.prepare('SELECT max(id) FROM records').pluck().get() as number | null;
    if (typeof max === 'number') return max;
  } catch {
    // the rightmost page is damaged: fall back to the schema's autoincrement-free bound below
  }
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return Math.ceil((pages * pageSize) / 32); // no record row is smaller than about 32 bytes
}

/**
 * Opens `file` read-only (never writing to it) and reads its open and dead records. SQLite's `.recover` needs the
 * sqlite_dbpage table, which the bundled SQLite is built without, so a damaged file is read row by row instead:
 * rows on damaged pages are skipped and counted.
 */
export function readSalvage(file: string): SalvageRead {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const columns = new Set((db.pragma('table_info(records)') as { name: string }[]).map((c) => c.name));
    if (!columns.has('idempotency_key'))
      throw new Error(`${file} has no outbox records table (is it an outbox file?)`);
    const keySite = columns.has('key_site') ? 'key_site' : 'NULL AS key_site';
    // Schema 6 and later keep payloads in their own table; a correlated read keeps the row-by-row fallback per record.
    const payload = columns.has('payload')
      ? 'payload'
      : '(SELECT p.payload FROM record_payloads p WHERE p.record_id = records.id) AS payload';
    const select = `SELECT id, connection, idempotency_key, ordering_key, business_key, content_type, ${payload}, origin,
                           state, ${keySite}, last_error FROM records`;
    try {
      const rows = db.prepare(`${select} WHERE ${wanted} ORDER BY id`).all() as Row[];
      return {
        records: rows.flatMap((r) => toSalvaged(r) ?? []),
        method: 'query',
        unreadable: [],
        unreadableRows: 0,
      };
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      const one = db.prepare(`${select} WHERE id = ?`);
      const records: SalvagedRecord[] = [];
      const failed: number[] = [];
      const top = highestId(db);
      for (let id = 1; id <= top; id += 1) {
        try {
          const row = one.get(id) as Row | undefined;
          if (!row || !['pending', 'leased', 'dead'].includes(row.state)) continue;
          const record = toSalvaged(row);
          if (record) records.push(record);
          else failed.push(id);
        } catch {
          failed.push(id);
        }
      }
      return {
        records,
        method: 'per-row',
        unreadable: ranges(failed),
        unreadableRows: failed.length,
        problem,
      };
    }
  } finally {
    db.close();
  }
}
