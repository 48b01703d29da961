// The unit of capture: one change a source saw, before it becomes an outbox record.

/** One change captured by a source. Keys must be deterministic: capturing the same change twice yields the same key. */
export interface CapturedChange {
  /** Deterministic identity of the change (see DESIGN.md "Idempotency key"); sent as the Idempotency-Key header. */
  idempotencyKey: string;
  /** Records sharing an ordering key are delivered in capture order; a failing head blocks only its own key. */
  orderingKey: string;
  /** Human-facing key for search (invoice number, file name, …). */
  businessKey?: string;
  contentType: string;
  payload: Buffer;
  /** Small, non-secret facts about where the change came from (file path, table, row id). */
  origin?: Record<string, string | number>;
  /**
   * Set when the source could not turn its input into a valid change (a malformed row): the change is stored
   * straight as a dead letter with this reason, visible with the others and replayable (sent as captured).
   */
  rejected?: { reason: string };
  /**
   * The payload as the object it was serialised from, when the source built the JSON from one (never stored): a
   * mapping reads it instead of parsing the payload again. It must hold exactly what the payload holds.
   */
  parsed?: Readonly<Record<string, unknown>>;
}

/** A checkpoint entry written in the same transaction as the changes it covers; `value: null` removes the entry. */
export interface CheckpointUpdate {
  key: string;
  value: string | null;
}

/** What a source hands to the outbox: changes plus the checkpoint that covers them, committed atomically. */
export interface ChangeBatch {
  changes: CapturedChange[];
  checkpoints: CheckpointUpdate[];
  /**
   * Checkpoint-only bookkeeping whose loss on a power cut is harmless because the source re-derives it (e.g. "this
   * delivered file was deleted"): committed without waiting for the disk. Ignored when the batch holds changes.
   */
  bookkeeping?: boolean;
}

export interface EnqueueResult {
  /** Changes newly stored. */
  inserted: number;
  /** Changes already in the outbox under the same idempotency key (captured twice, stored once). */
  duplicates: number;
}
