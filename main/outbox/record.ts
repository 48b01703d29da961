// The outbox record as the rest of the agent sees it, and its mapping from a database row.
import type { Receipt } from '../../connectors/core/destination.js';

/** The origin field that names the mapping version a record was shaped (or rejected) with. */
export const mappingVersionField = 'mappingVersion';

/** The origin field that names the API version a record was stored for (the destination's apiVersion then). */
export const apiVersionField = 'apiVersion';

export type RecordState = 'pending' | 'leased' | 'delivered' | 'dead' | 'discarded';

export interface OutboxRecord {
  id: number;
  connection: string;
  idempotencyKey: string;
  orderingKey: string;
  businessKey: string | null;
  contentType: string;
  /** Null once retention has compacted the record. */
  payload: Buffer | null;
  size: number;
  origin: Record<string, string | number> | null;
  createdAt: number;
  state: RecordState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  receipt: Receipt | null;
  settledAt: number | null;
  /** The Idempotency-Key of the batch the record was sent in, once it was sent in one. */
  batchKey: string | null;
}

/** A stored receipt; outboxes from before transport-neutral receipts kept `{ status: 201 }`, read as code "HTTP 201". */
export function receiptOf(json: string): Receipt {
  const stored = JSON.parse(json) as Receipt & { status?: number };
  if (stored.code !== undefined) return stored;
  const { status, ...rest } = stored;
  return { ...rest, code: status === undefined ? 'delivered' : `HTTP ${status}` };
}

export interface RecordRow {
  id: number;
  connection: string;
  idempotency_key: string;
  ordering_key: string;
  business_key: string | null;
  content_type: string;
  payload: Buffer | null;
  size: number;
  origin: string | null;
  created_at: number;
  state: RecordState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  receipt: string | null;
  settled_at: number | null;
  batch_key: string | null;
}

/** Records with their payloads (NULL once compacted): the FROM clause for `recordColumns`. */
export const recordsWithPayloads =
  'records LEFT JOIN record_payloads ON record_payloads.record_id = records.id';

export const recordColumns = `id, connection, idempotency_key, ordering_key, business_key, content_type, payload, size,
  origin, created_at, state, attempts, next_attempt_at, last_error, receipt, settled_at, batch_key`;

export function toRecord(row: RecordRow): OutboxRecord {
  return {
    id: row.id,
    connection: row.connection,
    idempotencyKey: row.idempotency_key,
    orderingKey: row.ordering_key,
    businessKey: row.business_key,
    contentType: row.content_type,
    payload: row.payload,
    size: row.size,
    origin: row.origin === null ? null : (JSON.parse(row.origin) as Record<string, string | number>),
    createdAt: row.created_at,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    receipt: row.receipt === null ? null : receiptOf(row.receipt),
    settledAt: row.settled_at,
    batchKey: row.batch_key,
  };
}
