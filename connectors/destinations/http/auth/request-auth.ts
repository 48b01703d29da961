// The RequestAuth contract: what every kind of request authentication offers the HTTP destination.

export interface AuthRequest {
  method: string;
  url: string;
  /** The final request body, byte for byte as it will be sent. */
  body: Buffer;
}

export interface RequestAuth {
  readonly kind: string;
  /** Headers to add to one request (called per attempt, after the body is final). */
  headers(request: AuthRequest): Promise<Record<string, string>>;
  /** The API answered 401: drop cached credentials. True when retrying once with fresh credentials makes sense. */
  invalidate(): boolean;
}
