// In-memory per-connection counts of open and dead records, loaded once at open and kept in step with every write.
import type { Database } from 'better-sqlite3';

export interface ConnectionCounts {
  /** Records not yet delivered (pending or in flight). */
  pending: number;
  pendingBytes: number;
  dead: number;
}

export class OutboxCounters {
  private readonly byConnection = new Map<string, ConnectionCounts>();

  load(db: Database): void {
    this.byConnection.clear();
    const rows = db
      .prepare(
        `SELECT connection, state, count(*) AS n, coalesce(sum(size), 0) AS bytes FROM records
         WHERE state IN ('pending', 'leased', 'dead') GROUP BY connection, state`,
      )
      .all() as { connection: string; state: string; n: number; bytes: number }[];
    for (const row of rows) {
      const counts = this.of(row.connection);
      if (row.state === 'dead') counts.dead += row.n;
      else {
        counts.pending += row.n;
        counts.pendingBytes += row.bytes;
      }
    }
  }

  of(connection: string): ConnectionCounts {
    let counts = this.byConnection.get(connection);
    if (!counts) {
      counts = { pending: 0, pendingBytes: 0, dead: 0 };
      this.byConnection.set(connection, counts);
    }
    return counts;
  }

  connections(): string[] {
    return [...this.byConnection.keys()];
  }

  totals(): ConnectionCounts {
    const total: ConnectionCounts = { pending: 0, pendingBytes: 0, dead: 0 };
    for (const c of this.byConnection.values()) {
      total.pending += c.pending;
      total.pendingBytes += c.pendingBytes;
      total.dead += c.dead;
    }
    return total;
  }

  addPending(connection: string, count: number, bytes: number): void {
    const c = this.of(connection);
    c.pending += count;
    c.pendingBytes += bytes;
  }

  addDead(connection: string, count: number): void {
    this.of(connection).dead += count;
  }
}
