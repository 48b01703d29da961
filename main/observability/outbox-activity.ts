// What the outbox remembers across restarts: each connection's last capture and its per-minute throughput of the last hour.
import type { Database } from 'better-sqlite3';
import type { ThroughputHistory } from './throughput-history.js';

const minuteMs = 60_000;
const states = ['pending', 'leased', 'delivered', 'dead', 'discarded'] as const;

/** When each connection last captured a record (created_at of its newest record); index seeks only. */
export function lastCaptures(db: Database, connections: readonly string[]): Map<string, number> {
  // max(id) per (connection, state) walks records_by_state from its end; the newest of those is the last capture.
  const newest = db.prepare(
    `SELECT created_at FROM records WHERE id = (
       SELECT max(m) FROM (${states
         .map((s) => `SELECT max(id) AS m FROM records WHERE connection = @connection AND state = '${s}'`)
         .join(' UNION ALL ')}))`,
  );
  const result = new Map<string, number>();
  for (const connection of connections) {
    const at = newest.pluck().get({ connection }) as number | undefined;
    if (at !== undefined) result.set(connection, at);
  }
  return result;
}

/** Records looked at per step of the seeding; each step is one short statement, then the event loop has its turn. */
const seedChunk = 20_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Fills the throughput history with the last `minutes` minutes the outbox recorded before `now`: records captured
 * (newest first by id, in chunks, until a chunk reaches back past the window), delivered and dead-lettered (the
 * settled_at indexes), counted per minute by SQLite. Runs in steps after start (a backlog of a million records
 * captured within the hour must not hold up start-up); the activity after `now` is the live history's own, so the
 * caller binds the live events first and seeds right after. Retries leave no row of their own, so a restart keeps
 * failures that ended in the dead-letter queue only. Stops early once `stopped()` says so.
 */
export async function seedThroughput(
  history: ThroughputHistory,
  db: Database,
  connections: readonly string[],
  now: number,
  { minutes = 60, stopped = () => false }: { minutes?: number; stopped?: () => boolean } = {},
): Promise<void> {
  const since = (Math.floor(now / minuteMs) - (minutes - 1)) * minuteMs;
  const goOn = () => !stopped() && db.open;
  const newestId = db.prepare('SELECT max(id) FROM records').pluck().get() as number | null;
  const captured = db.prepare(
    `SELECT connection, created_at / ${minuteMs} AS minute, count(*) AS n, min(created_at) < @since AS older
     FROM records WHERE id > @low AND id <= @high GROUP BY connection, minute`,
  );
  const settledBy = (state: 'delivered' | 'dead') =>
    db.prepare(
      state === 'delivered'
        ? // One range on each settled-record index (payload kept, payload compacted): a full scan otherwise.
          `SELECT connection, minute, sum(n) AS n FROM (${['IS NULL', 'IS NOT NULL']
            .map(
              (
                compacted,
              ) => `SELECT connection, settled_at / ${minuteMs} AS minute, count(*) AS n FROM records
                WHERE compacted_at ${compacted} AND state IN ('delivered', 'discarded')
                  AND settled_at >= @since AND settled_at < @now AND +state = 'delivered'
                GROUP BY connection, minute`,
            )
            .join(' UNION ALL ')}) GROUP BY connection, minute`
        : `SELECT connection, settled_at / ${minuteMs} AS minute, count(*) AS n FROM records
           WHERE connection = @connection AND state = 'dead' AND settled_at >= @since AND settled_at < @now
           GROUP BY minute`,
    );
  type MinuteCount = { connection: string; minute: number; n: number };
  const add = (kind: 'captured' | 'delivered' | 'failed', rows: MinuteCount[]) => {
    for (const row of rows)
      if (row.minute * minuteMs >= since) history.record(row.connection, kind, row.n, row.minute * minuteMs);
  };
  for (let high = newestId ?? 0; high > 0 && goOn(); high -= seedChunk) {
    const rows = captured.all({ low: high - seedChunk, high, since }) as (MinuteCount & { older: number })[];
    add('captured', rows);
    if (rows.some((r) => r.older === 1)) break; // this chunk reaches back past the window: older ids are older still
    await nextTurn();
  }
  if (!goOn()) return;
  add('delivered', settledBy('delivered').all({ since, now }) as MinuteCount[]);
  const dead = settledBy('dead');
  for (const connection of connections) {
    await nextTurn();
    if (!goOn()) return;
    add(
      'failed',
      (dead.all({ connection, since, now }) as Omit<MinuteCount, 'connection'>[]).map((r) => ({
        ...r,
        connection,
      })),
    );
  }
}
