// The error thrown when no OAuth access token could be obtained: names the endpoint and the provider's error code, never the secret.

export class OAuthTokenError extends Error {
  /** The provider's `error` (invalid_client, invalid_scope…), or a transport code (ECONNREFUSED, ERR_PROXY_AUTH…). */
  readonly code: string;

  constructor(
    message: string,
    code: string,
    /** Token endpoint without query. */
    readonly endpoint: string,
    /** HTTP status of the token endpoint's answer, when there was one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OAuthTokenError';
    this.code = code;
  }
}
