// OAuth 2.0 client credentials grant (RFC 6749 §4.4): fetches, caches and refreshes an access token; one token request at a time.
import { checkTransport, InsecureTransportError } from '../transport-policy.js';
import { describeTransportError, type HttpTransport } from '../transport.js';
import type { OAuth2ClientCredentialsConfig } from '../security-config.js';
import { OAuthTokenError } from './oauth-token-error.js';
import type { RequestAuth } from './request-auth.js';

/** Lifetime assumed when the token response has no expires_in. */
const defaultLifetimeMs = 5 * 60_000;

interface CachedToken {
  accessToken: string;
  /** Clock time after which a new token is fetched. */
  refreshAt: number;
}

interface TokenResponse {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** RFC 6749 §2.3.1: client_id and client_secret are form-urlencoded before they go into the Basic header. */
function basicCredentials(clientId: string, clientSecret: string): string {
  const encoded = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
  return `Basic ${Buffer.from(encoded).toString('base64')}`;
}

function parseJson(body: Buffer): TokenResponse | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function lifetimeMs(expiresIn: unknown): number {
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds * 1000
    : defaultLifetimeMs;
}

export class OAuthClientCredentials implements RequestAuth {
  readonly kind = 'oauth2-client-credentials';
  private readonly endpoint: string;
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;

  constructor(
    private readonly config: OAuth2ClientCredentialsConfig,
    private readonly transport: HttpTransport,
    private readonly secrets: (name: string) => string,
    private readonly clock: () => number,
  ) {
    const url = new URL(config.tokenUrl);
    this.endpoint = `${url.origin}${url.pathname}`;
    try {
      checkTransport(url, false);
    } catch (error) {
      if (!(error instanceof InsecureTransportError)) throw error;
      throw new Error(
        `Refusing to send the OAuth client secret to ${url.origin} over plain http. Fix: use the https:// address of the token endpoint in auth.tokenUrl`,
        { cause: error },
      );
    }
  }

  async headers(): Promise<Record<string, string>> {
    const token = await this.token();
    return { authorization: `Bearer ${token.accessToken}` };
  }

  /** Drops the cached token (a token request already under way is fresh and kept). Retrying once makes sense. */
  invalidate(): boolean {
    this.cached = undefined;
    return true;
  }

  private token(): Promise<CachedToken> {
    if (this.cached !== undefined && this.clock() < this.cached.refreshAt)
      return Promise.resolve(this.cached);
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchToken(): Promise<CachedToken> {
    const secretName = this.config.clientSecret.secretRef;
    const secret = this.secrets(secretName);
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.config.scope !== undefined) form.set('scope', this.config.scope);
    if (this.config.audience !== undefined) form.set('audience', this.config.audience);
    if (this.config.resource !== undefined) form.set('resource', this.config.resource);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (this.config.clientAuth === 'basic')
      headers.authorization = basicCredentials(this.config.clientId, secret);
    else {
      form.set('client_id', this.config.clientId);
      form.set('client_secret', secret);
    }
    const requestedAt = this.clock();
    let response;
    try {
      response = await (
        await this.transport.client()
      ).post(this.config.tokenUrl, {
        body: form.toString(),
        headers,
        responseType: 'buffer',
      });
    } catch (error) {
      const { message, code } = describeTransportError(error);
      throw new OAuthTokenError(
        `cannot get an OAuth token from ${this.endpoint}: ${message}`,
        code ?? 'ERR_OAUTH_UNREACHABLE',
        this.endpoint,
      );
    }
    const body = parseJson(response.body);
    if (response.statusCode < 200 || response.statusCode >= 300)
      throw this.refused(response.statusCode, body, secret, secretName);
    if (typeof body?.access_token !== 'string' || body.access_token === '')
      throw new OAuthTokenError(
        `the OAuth token endpoint ${this.endpoint} answered HTTP ${response.statusCode} without an access_token. Fix: check that auth.tokenUrl is the token endpoint (not the authorization or discovery URL)`,
        'ERR_OAUTH_RESPONSE',
        this.endpoint,
        response.statusCode,
      );
    if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer')
      throw new OAuthTokenError(
        `the OAuth token endpoint ${this.endpoint} issued a "${body.token_type}" token; only Bearer tokens are supported. Fix: configure the client at the authorization server for Bearer tokens`,
        'ERR_OAUTH_TOKEN_TYPE',
        this.endpoint,
        response.statusCode,
      );
    const lifetime = lifetimeMs(body.expires_in);
    // Refresh refreshBeforeExpiryMs ahead of expiry, but never use less than half a token's life (short-lived tokens).
    const usable = Math.max(lifetime - this.config.refreshBeforeExpiryMs, lifetime / 2);
    this.cached = { accessToken: body.access_token, refreshAt: requestedAt + usable };
    return this.cached;
  }

  private refused(
    status: number,
    body: TokenResponse | undefined,
    secret: string,
    secretName: string,
  ): OAuthTokenError {
    const code = typeof body?.error === 'string' ? body.error : `HTTP_${status}`;
    const scrub = (text: string) => (secret === '' ? text : text.split(secret).join('***'));
    const description =
      typeof body?.error_description === 'string' ? ` (${scrub(body.error_description).slice(0, 300)})` : '';
    const error = typeof body?.error === 'string' ? ` ${scrub(body.error)}` : '';
    return new OAuthTokenError(
      `OAuth token request to ${this.endpoint} failed: HTTP ${status}${error}${description}. Fix: ${this.fixFor(code, secretName)}`,
      code,
      this.endpoint,
      status,
    );
  }

  private fixFor(code: string, secretName: string): string {
    const { clientId, clientAuth, scope, audience, resource } = this.config;
    switch (code) {
      case 'invalid_client':
        return `check auth.clientId ("${clientId}") and the secret ${secretName}; the provider may also expect clientAuth: ${clientAuth === 'basic' ? 'body' : 'basic'}`;
      case 'invalid_scope':
        return `check auth.scope ("${scope ?? ''}") against the scopes the client is allowed`;
      case 'invalid_target':
        return `check auth.resource ("${resource ?? ''}") / auth.audience ("${audience ?? ''}")`;
      case 'unauthorized_client':
      case 'unsupported_grant_type':
        return `allow the client_credentials grant for client "${clientId}" at the authorization server`;
      default:
        return 'check auth.tokenUrl and the client settings at the authorization server';
    }
  }
}
