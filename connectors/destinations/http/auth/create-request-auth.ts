// Builds the RequestAuth of a destination from its auth config (none, bearer, API key, HMAC, OAuth 2.0).
import type { AuthConfig } from '../security-config.js';
import type { HttpTransport } from '../transport.js';
import { HmacAuth } from './hmac-auth.js';
import { OAuthClientCredentials } from './oauth-client-credentials.js';
import type { RequestAuth } from './request-auth.js';
import { ApiKeyAuth, BearerAuth, NoAuth } from './static-auth.js';

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
