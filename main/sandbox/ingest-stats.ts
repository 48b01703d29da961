// What the sandbox ingest server counts: requests, applied keys and records, duplicates and injected faults.

export interface IngestStats {
  requests: number;
  /** Requests applied (one per Idempotency-Key). */
  applied: number;
  /** Records carried by the applied requests (a batch counts its members). */
  items: number;
  /** Requests whose key had already been applied with the same payload: answered from memory, not applied again. */
  duplicates: number;
  /** 422: key reused with a different payload. */
  conflicts: number;
  /** 409: key still in progress. */
  inProgress: number;
  /** Injected faults that took effect. */
  faults: number;
  /** 401: `authorize` said no. */
  unauthorized: number;
  /** 413: body over `maxBodyBytes`. */
  tooLarge: number;
}
