// The Destination contract: how a delivery connector sends one record or one batch and says, in transport-neutral terms, what happened.

/** A record as handed to a destination for sending. */
export interface OutgoingRecord {
  id: number;
  idempotencyKey: string;
  businessKey: string | null;
  contentType: string;
  payload: Buffer;
  /** Attempts including this one. */
  attempts: number;
  /** The API version the record was stored for (sent as the destination declares: header, media type or path). */
  apiVersion?: string;
}

/** One send's worth of records: a single record under its own key, or a batch under the batch's derived key. */
export interface OutgoingRequest {
  /** The key the receiver deduplicates by (HTTP Idempotency-Key, message id, file name…). */
  idempotencyKey: string;
  /** One record, or a batch's members in capture order. */
  records: OutgoingRecord[];
  /** W3C trace context of this attempt, when the destination sends one. */
  traceparent?: string;
}

/**
 * What the receiver kept as proof of delivery. `code` is the protocol's own answer in a few words
 * ("HTTP 201", "PUBACK", "written"); outboxes written before connectors were transport-neutral stored `status`
 * instead, which the outbox reads back as `HTTP <status>`.
 */
export interface Receipt {
  code: string;
  serverId?: string;
  at: number;
  /** Set when the record was delivered as part of a batch. */
  batchKey?: string;
}

/** A redacted, short copy of what the receiver answered, kept with dead letters for support. */
export interface ResponseExcerpt {
  /** The protocol's code in a few words, e.g. "HTTP 400". */
  code: string;
  /** A few protocol fields worth keeping (HTTP: selected headers; brokers: reason string…). */
  details: Record<string, string>;
  /** The start of the answer's body or message, as text. */
  excerpt: string;
}

/** A record the destination could not put in the request (e.g. not JSON for a JSON batch): permanent, never retried. */
export interface RejectedRecord {
  id: number;
  error: string;
}

/** A short description of what was sent, kept on the timeline so support can see it without the payload. */
export interface RequestSummary {
  /** What was done, e.g. "POST", "publish", "write". */
  operation: string;
  /** Where to, without credentials: URL, topic, file path. */
  target: string;
  bytes: number;
  records: number;
}

/**
 * The destination's own verdict on one send. `retry` may carry the earliest time the receiver asked for and says
 * whether the receiver itself looks broken (`failure`: the circuit breaker counts it) or only asks to slow down
 * (`throttled`). `dead` is permanent for these records, with a reason people understand.
 */
export type Outcome =
  | { kind: 'delivered'; code: string; serverIds?: Record<number, string> }
  | ({
      kind: 'retry';
      error: string;
      code?: string;
      retryAfterMs?: number;
      signal: 'failure' | 'throttled';
    } & Quoted)
  | ({ kind: 'dead'; error: string; code?: string; response?: ResponseExcerpt } & Quoted);

/**
 * Set when an outcome's `error` quotes the receiver's own words (the start of its answer body, a broker's close
 * text), which may echo the record's data: the same error without them. With outbox encryption on, only this is
 * kept in clear (status, log, last error); the quoting error and the response excerpt are stored encrypted.
 */
export interface Quoted {
  errorWithoutAnswer?: string;
}

/** What a response announced about the API's end of life (HTTP `Deprecation` and `Sunset` headers). */
export interface ApiNotice {
  /** The API says what was called is (or will be) deprecated. */
  deprecated: boolean;
  /** When it is or was deprecated (epoch ms), when the response says. */
  deprecationAt?: number;
  /** When it stops answering (epoch ms). */
  sunsetAt?: number;
  /** Where the API explains it (Link rel="deprecation" or "sunset"). */
  link?: string;
}

/** The result of one send: an outcome, or `not-sent` when every record was rejected before anything went out. */
export type SendResult = {
  rejected?: RejectedRecord[];
  request?: RequestSummary;
  latencyMs: number;
  /** Set by destinations that read end-of-life headers: the notice, or null for a response without one. */
  apiNotice?: ApiNotice | null;
} & (Outcome | { kind: 'not-sent' });

/** Batch limits a destination asks the dispatcher to lease by; absent: one record per send. */
export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
  /** How long to wait for a fuller batch once the first record is due. */
  lingerMs: number;
}

/** How a destination connects, for status and support: short named facts, never credentials. */
export type ConnectionFacts = Record<string, string | boolean>;

export interface Destination {
  readonly type: string;
  /** Human label for status, without secrets (e.g. "POST https://api.example.com/invoices"). */
  readonly label: string;
  readonly batching?: BatchLimits;
  /**
   * How many sends the dispatcher runs at once, when the destination keeps its own window of messages in flight
   * (a broker batch publishes its members pipelined): absent, the destination's `concurrency`.
   */
  readonly sendConcurrency?: number;
  /** Set when the config is allowed but unsafe (e.g. plain http to another host). */
  readonly warning?: string;
  describe?(): ConnectionFacts;
  send(request: OutgoingRequest, signal: AbortSignal): Promise<SendResult>;
  close(): Promise<void>;
}
