// The Destination contract: how a delivery connector sends leased outbox records.

/** A record as handed to a destination for sending. */
export interface OutgoingRecord {
  id: number;
  idempotencyKey: string;
  businessKey: string | null;
  contentType: string;
  payload: Buffer;
  attempts: number;
}

/** What the server kept as proof of delivery. */
export interface Receipt {
  status: number;
  serverId?: string;
  at: number;
}

export interface ResponseSummary {
  status: number;
  headers: Record<string, string>;
  bodyExcerpt: string;
}

/** The outcome of one send, already classified. */
export type SendOutcome =
  | { kind: 'delivered'; receipt: Receipt; latencyMs: number }
  | { kind: 'retry'; error: string; retryAfterMs?: number; status?: number; latencyMs: number }
  | { kind: 'dead'; error: string; response?: ResponseSummary; latencyMs: number };

export interface Destination {
  readonly type: string;
  /** Human label for status, without secrets (e.g. "POST https://api.example.com/invoices"). */
  readonly label: string;
  send(record: OutgoingRecord, signal: AbortSignal): Promise<SendOutcome>;
  close(): Promise<void>;
}
