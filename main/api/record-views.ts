// Outbox records as the contract shows them: never the payload; timelines with their recorded details.
import type { RecordSummary, RecordTimeline } from '../../preload/contract/records.js';
import type { OutboxRecord } from '../outbox/record.js';
import type { RecordTimeline as OutboxTimeline } from '../outbox/timeline.js';

export function toRecordSummary(record: Omit<OutboxRecord, 'payload'>): RecordSummary {
  return {
    id: record.id,
    connection: record.connection,
    state: record.state,
    idempotencyKey: record.idempotencyKey,
    orderingKey: record.orderingKey,
    businessKey: record.businessKey,
    contentType: record.contentType,
    size: record.size,
    origin: record.origin,
    capturedAt: record.createdAt,
    attempts: record.attempts,
    nextAttemptAt: record.nextAttemptAt,
    lastError: record.lastError,
    receipt: record.receipt,
    settledAt: record.settledAt,
    batchKey: record.batchKey,
  };
}

export function toRecordTimeline(timeline: OutboxTimeline): RecordTimeline {
  return {
    record: toRecordSummary(timeline.record),
    events: timeline.events.map((e) => ({ at: e.at, kind: e.kind, detail: e.detail })),
  };
}
