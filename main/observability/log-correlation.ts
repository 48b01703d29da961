// The log fields that tie a delivery line to its records, its Idempotency-Key and its W3C trace.

export interface CorrelatedRequest {
  idempotencyKey: string;
  records: readonly { id: number }[];
  traceparent?: string;
}

export interface CorrelationFields {
  recordId?: number;
  recordIds?: number[];
  batchKey?: string;
  idempotencyKey: string;
  traceId?: string;
}

/** The trace id (32 hex digits) of a `00-<trace>-<span>-<flags>` traceparent. */
export function traceIdOf(traceparent: string): string | undefined {
  const traceId = traceparent.split('-')[1];
  return traceId && /^[0-9a-f]{32}$/.test(traceId) ? traceId : undefined;
}

/** `recordId` for one record, `recordIds` (+ `batchKey`) for a batch; always the key; the trace id when one was sent. */
export function correlationFields(request: CorrelatedRequest, batchKey?: string): CorrelationFields {
  const ids = request.records.map((r) => r.id);
  const traceId = request.traceparent === undefined ? undefined : traceIdOf(request.traceparent);
  return {
    ...(ids.length === 1 ? { recordId: ids[0] } : { recordIds: ids }),
    ...(batchKey !== undefined ? { batchKey } : {}),
    idempotencyKey: request.idempotencyKey,
    ...(traceId !== undefined ? { traceId } : {}),
  };
}
