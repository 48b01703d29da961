// What the outbox tells support: counts and retry histograms, dead letters and recent timelines, payloads as hashes only.
import { createHash } from 'node:crypto';
import type { Outbox } from '../../outbox/outbox.js';
import { redactJson, type Redactor } from '../redaction.js';

/** A short, stable fingerprint of a key or value: the first 16 hex digits of its SHA-256. */
export function keyHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
}

export interface ConnectionStatistics {
  connection: string;
  pending: number;
  pendingBytes: number;
  dead: number;
  byState: Record<string, number>;
  oldestPendingAt?: string;
  oldestPendingAgeMs?: number;
  lastDeliveredAt?: string;
  /** Open records by how many attempts they have had: { "0": 120, "3": 2 }. */
  retryHistogram: Record<string, number>;
}

export interface RecordSummary {
  id: number;
  connection: string;
  state: string;
  attempts: number;
  businessKeySha256: string | null;
  idempotencyKeySha256: string;
  orderingKeySha256: string;
  batchKeySha256: string | null;
  contentType: string;
  /** Never the payload itself: its SHA-256 and size, or null once retention compacted it. */
  payload: { sha256: string; bytes: number } | null;
  createdAt: string;
  nextAttemptAt: string | null;
  settledAt: string | null;
  lastError: string | null;
  events: { at: string; kind: string; detail: unknown }[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Per-connection counts, oldest pending age and retry histogram, read fresh from the database. */
export function outboxStatistics(outbox: Outbox, now: number): ConnectionStatistics[] {
  const byState = outbox.db
    .prepare(
      'SELECT connection, state, count(*) AS n, coalesce(sum(size), 0) AS bytes FROM records GROUP BY connection, state',
    )
    .all() as { connection: string; state: string; n: number; bytes: number }[];
  const attempts = outbox.db
    .prepare(
      "SELECT connection, attempts, count(*) AS n FROM records WHERE state IN ('pending', 'leased') GROUP BY connection, attempts",
    )
    .all() as { connection: string; attempts: number; n: number }[];
  const connections = [...new Set(byState.map((r) => r.connection))].sort();
  return connections.map((connection) => {
    const states = byState.filter((r) => r.connection === connection);
    const count = (...names: string[]) =>
      states.filter((r) => names.includes(r.state)).reduce((sum, r) => sum + r.n, 0);
    const oldest = outbox.oldestPendingAt(connection);
    const delivered = outbox.lastDeliveredAt(connection);
    return {
      connection,
      pending: count('pending', 'leased'),
      pendingBytes: states
        .filter((r) => r.state === 'pending' || r.state === 'leased')
        .reduce((sum, r) => sum + r.bytes, 0),
      dead: count('dead'),
      byState: Object.fromEntries(states.map((r) => [r.state, r.n])),
      ...(oldest !== undefined ? { oldestPendingAt: iso(oldest), oldestPendingAgeMs: now - oldest } : {}),
      ...(delivered !== undefined ? { lastDeliveredAt: iso(delivered) } : {}),
      retryHistogram: Object.fromEntries(
        attempts.filter((r) => r.connection === connection).map((r) => [String(r.attempts), r.n]),
      ),
    };
  });
}

/** One record as support sees it: ids, key hashes, state, reasons and its timeline; the payload only as hash + size. */
export function summarizeRecord(outbox: Outbox, id: number, redact: Redactor): RecordSummary | undefined {
  const timeline = outbox.timeline(id);
  if (!timeline) return undefined;
  const { record } = timeline;
  const payload = outbox.db
    .prepare('SELECT payload FROM record_payloads WHERE record_id = ?')
    .pluck()
    .get(id) as Buffer | undefined;
  return {
    id: record.id,
    connection: record.connection,
    state: record.state,
    attempts: record.attempts,
    businessKeySha256: record.businessKey === null ? null : keyHash(record.businessKey),
    idempotencyKeySha256: keyHash(record.idempotencyKey),
    orderingKeySha256: keyHash(record.orderingKey),
    batchKeySha256: record.batchKey === null ? null : keyHash(record.batchKey),
    contentType: record.contentType,
    payload:
      payload === undefined
        ? null
        : { sha256: createHash('sha256').update(payload).digest('hex'), bytes: payload.length },
    createdAt: iso(record.createdAt),
    nextAttemptAt: record.settledAt === null ? iso(record.nextAttemptAt) : null,
    settledAt: record.settledAt === null ? null : iso(record.settledAt),
    lastError: record.lastError === null ? null : redact(record.lastError),
    events: timeline.events.map((e) => ({
      at: iso(e.at),
      kind: e.kind,
      detail: redactJson(withoutKeys(e.detail), redact),
    })),
  };
}

/** Event details repeat the raw idempotency key ("queued"); replace it by its hash like everywhere else. */
function withoutKeys(detail: Record<string, unknown> | null): Record<string, unknown> | null {
  if (detail === null || typeof detail.idempotencyKey !== 'string') return detail;
  const { idempotencyKey, ...rest } = detail;
  return { ...rest, idempotencyKeySha256: keyHash(idempotencyKey) };
}

/** The newest dead letters of every connection (up to `perConnection` each), summarized. */
export function deadLetterSummaries(
  outbox: Outbox,
  perConnection: number,
  redact: Redactor,
): RecordSummary[] {
  const connections = outbox.db
    .prepare("SELECT DISTINCT connection FROM records WHERE state = 'dead' ORDER BY connection")
    .pluck()
    .all() as string[];
  const newest = outbox.db
    .prepare("SELECT id FROM records WHERE connection = ? AND state = 'dead' ORDER BY id DESC LIMIT ?")
    .pluck();
  return connections.flatMap((connection) =>
    (newest.all(connection, perConnection) as number[]).flatMap(
      (id) => summarizeRecord(outbox, id, redact) ?? [],
    ),
  );
}

/** The timelines of the last `count` records captured, newest first. */
export function recentTimelines(outbox: Outbox, count: number, redact: Redactor): RecordSummary[] {
  const ids = outbox.db
    .prepare('SELECT id FROM records ORDER BY id DESC LIMIT ?')
    .pluck()
    .all(count) as number[];
  return ids.flatMap((id) => summarizeRecord(outbox, id, redact) ?? []);
}

/** The newest operator and agent actions on the outbox (replays, discards, quarantines). */
export function recentAudit(outbox: Outbox, count: number, redact: Redactor): unknown[] {
  const rows = outbox.db
    .prepare('SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?')
    .all(count) as {
    at: number;
    actor: string;
    action: string;
    target: string | null;
    detail: string | null;
  }[];
  return rows.map((r) =>
    redactJson(
      { ...r, at: iso(r.at), detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) },
      redact,
    ),
  );
}
