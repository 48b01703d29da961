// The RequestAuth contract and the factory that builds one from the destination's auth config.
import type { AuthConfig } from '../security-config.js';
import type { HttpTransport } from '../transport.js';
import { HmacAuth } from './hmac-auth.js';
import { OAuthClientCredentials } from './oauth-client-credentials.js';
import { ApiKeyAuth, BearerAuth, NoAuth } from './static-auth.js';

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

export interface RequestAuthDeps {
  /** The destination's transport: token requests use the same proxy and TLS settings. */
  transport: HttpTransport;
  /** Synchronous secret lookup (values prefetched from the secret store). */
  secrets: (name: string) => string;
  /** Milliseconds since epoch; tests pass a fake. */
  clock?: () => number;
}

export function createRequestAuth(config: AuthConfig, deps: RequestAuthDeps): RequestAuth {
  const clock = deps.clock ?? Date.now;
  switch (config.type) {
    case 'none':
      return new NoAuth();
    case 'bearer':
      return new BearerAuth(config.token.secretRef, deps.secrets);
    case 'api-key':
      return new ApiKeyAuth(config.header, config.value.secretRef, deps.secrets);
    case 'hmac':
      return new HmacAuth(config, deps.secrets, clock);
    case 'oauth2-client-credentials':
      return new OAuthClientCredentials(config, deps.transport, deps.secrets, clock);
  }
}
