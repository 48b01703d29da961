// The Destination contract: how a delivery connector sends one record or one batch and reports what happened.

/** A record as handed to a destination for sending. */
export interface OutgoingRecord {
  id: number;
  idempotencyKey: string;
  businessKey: string | null;
  contentType: string;
  payload: Buffer;
  /** Attempts including this one. */
  attempts: number;
}

/** One request's worth of records: a single record under its own key, or a batch under the batch's derived key. */
export interface OutgoingRequest {
  /** Sent as the Idempotency-Key header. */
  idempotencyKey: string;
  /** One record, or a batch's members in capture order. */
  records: OutgoingRecord[];
  /** W3C trace context of this attempt, when the destination sends one. */
  traceparent?: string;
}

/** What the server kept as proof of delivery. */
export interface Receipt {
  status: number;
  serverId?: string;
  at: number;
  /** Set when the record was delivered as part of a batch. */
  batchKey?: string;
}

export interface ResponseSummary {
  status: number;
  headers: Record<string, string>;
  bodyExcerpt: string;
}

/** A record the destination could not put in the request (e.g. not JSON for a JSON batch): permanent, never retried. */
export interface RejectedRecord {
  id: number;
  error: string;
}

/** A short description of what was sent, kept with dead letters so support can see the request without the payload. */
export interface RequestSummary {
  method: string;
  url: string;
  bytes: number;
  records: number;
}

/** The raw result of one send; main/delivery classifies it (delivered / retry / dead) in one place. */
export type SendResult = { rejected?: RejectedRecord[]; request?: RequestSummary } & (
  | {
      kind: 'response';
      response: ResponseSummary;
      /** Server ids per record id (one id for a single record; per member when a batch response lists them). */
      serverIds?: Record<number, string>;
      latencyMs: number;
    }
  | { kind: 'failure'; error: string; code?: string; latencyMs: number }
  /** Every record was rejected before anything was sent. */
  | { kind: 'not-sent'; latencyMs: 0 }
);

/** A result where a request went out (everything but `not-sent`): what classification looks at. */
export type SentResult = Exclude<SendResult, { kind: 'not-sent' }>;

/** Batch limits a destination asks the dispatcher to lease by; absent: one record per request. */
export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
  /** How long to wait for a fuller batch once the first record is due. */
  lingerMs: number;
}

/** How a destination connects, for status and support (never credentials). */
export interface ConnectionFacts {
  /** Proxy origin in use for the destination URL, if any. */
  proxy?: string;
  auth: string;
  extraCa: boolean;
  pinned: boolean;
  clientCert: boolean;
}

export interface Destination {
  readonly type: string;
  /** Human label for status, without secrets (e.g. "POST https://api.example.com/invoices"). */
  readonly label: string;
  readonly batching?: BatchLimits;
  describe?(): ConnectionFacts;
  send(request: OutgoingRequest, signal: AbortSignal): Promise<SendResult>;
  close(): Promise<void>;
}
