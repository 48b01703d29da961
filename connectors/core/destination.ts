// The Destination contract: how a delivery connector sends one leased outbox record and reports what happened.

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

/** The raw result of one send; main/delivery classifies it (delivered / retry / dead) in one place. */
export type SendResult =
  | { kind: 'response'; response: ResponseSummary; serverId?: string; latencyMs: number }
  | { kind: 'failure'; error: string; code?: string; latencyMs: number };

export interface Destination {
  readonly type: string;
  /** Human label for status, without secrets (e.g. "POST https://api.example.com/invoices"). */
  readonly label: string;
  send(record: OutgoingRecord, signal: AbortSignal): Promise<SendResult>;
  close(): Promise<void>;
}
