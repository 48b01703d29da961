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

/**
 * Fills the throughput history with the last `minutes` minutes the outbox recorded: records captured (newest
 * first by id, stopping at the window), delivered (the settled_at index) and dead-lettered. Retries leave no row
 * of their own, so a restart keeps failures that ended in the dead-letter queue only.
 */
export function seedThroughput(
  history: ThroughputHistory,
  db: Database,
  connections: readonly string[],
  now: number,
  minutes = 60,
): void {
  const since = (Math.floor(now / minuteMs) - (minutes - 1)) * minuteMs;
  const captured = db.prepare('SELECT connection, created_at AS at FROM records ORDER BY id DESC');
  for (const row of captured.iterate() as Iterable<{ connection: string; at: number }>) {
    if (row.at < since) break;
    history.record(row.connection, 'captured', 1, row.at);
  }
  const settled = db.prepare(
    `SELECT connection, settled_at AS at FROM records
     WHERE state IN ('delivered', 'discarded') AND settled_at >= ? AND +state = 'delivered'`,
  );
  for (const row of settled.iterate(since) as Iterable<{ connection: string; at: number }>)
    history.record(row.connection, 'delivered', 1, row.at);
  const dead = db.prepare(
    `SELECT settled_at FROM records WHERE connection = ? AND state = 'dead' AND settled_at >= ?`,
  );
  for (const connection of connections)
    for (const at of dead.pluck().iterate(connection, since) as Iterable<number>)
      history.record(connection, 'failed', 1, at);
}
