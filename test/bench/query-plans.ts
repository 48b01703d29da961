// EXPLAIN QUERY PLAN of the statements the lease/settle/enqueue/open paths really use, read from the live objects.
import type { Database, Statement } from 'better-sqlite3';
import type { ChunkedStatement } from '../../main/outbox/chunked-statement.js';
import type { Outbox } from '../../main/outbox/outbox.js';

export interface PlanReport {
  name: string;
  plan: string[];
}

/** The Outbox keeps its statements private; reading them (not a copy of their SQL) keeps the plans honest. */
interface OutboxInternals {
  leaser?: { expire?: Statement; ready?: Statement; take?: ChunkedStatement; releaseAll?: Statement };
  settler?: { deliveredMany?: ChunkedStatement };
  enqueuer?: { storedKeys?: ChunkedStatement; queues?: { openTailsOf?: ChunkedStatement } };
}

export function explain(db: Database, sql: string): string[] {
  const positional = (sql.match(/\?/g) ?? []).length;
  const named = [...new Set([...sql.matchAll(/[@:$](\w+)/g)].map((m) => m[1] ?? ''))];
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  // Plans do not depend on the bound values here (no sqlite_stat4), so NULLs are fine.
  const rows = statement.all(
    Object.fromEntries(named.map((n) => [n, null])),
    ...new Array<null>(positional).fill(null),
  ) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, 0]]);
  return rows.map((row) => {
    const level = (depth.get(row.parent) ?? 0) + 1;
    depth.set(row.id, level);
    return `${'  '.repeat(level - 1)}${row.detail}`;
  });
}

export function outboxPlans(outbox: Outbox): PlanReport[] {
  const internals = outbox as unknown as OutboxInternals;
  /** A batch statement as run for a full chunk of 64 rows. */
  const chunk = (statement: ChunkedStatement | undefined) => statement && { source: statement.sqlFor(64) };
  const statements: [string, { source: string } | undefined][] = [
    ['lease: select ready heads', internals.leaser?.ready],
    ['lease: expire old leases', internals.leaser?.expire],
    ['lease: take the records', chunk(internals.leaser?.take)],
    ['settle: delivered batch', chunk(internals.settler?.deliveredMany)],
    ['enqueue: stored keys of a batch', chunk(internals.enqueuer?.storedKeys)],
    ['enqueue: open tails of a batch', chunk(internals.enqueuer?.queues?.openTailsOf)],
    ['open: release orphaned leases', internals.leaser?.releaseAll],
  ];
  return statements.map(([name, statement]) => ({
    name,
    plan: statement
      ? explain(outbox.db, statement.source)
      : ['(statement not found: Outbox internals changed)'],
  }));
}

/** The lease's ready query must be a bounded range scan of records_ready: no full scan, no sort. */
export function leasePlanVerdict(plan: string[]): string {
  const text = plan.join('\n');
  if (/TEMP B-TREE/.test(text))
    return 'WARNING: sorts (temp b-tree): cost grows with the number of ready heads';
  if (/\bSCAN\b/.test(text)) return 'WARNING: full scan: cost grows with the table';
  if (/records_ready/.test(text)) {
    return /COVERING/.test(text)
      ? 'OK: covering range scan of records_ready'
      : 'OK: range scan of records_ready in ORDER BY order, stops after `max` rows; each hit reads its row (payload)';
  }
  return 'CHECK: does not use records_ready';
}
