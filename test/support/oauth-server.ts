// A real OAuth 2.0 authorization server (oidc-provider 9) on a free 127.0.0.1 port, issuing client-credentials JWTs.
import { generateKeyPairSync, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors } from 'oidc-provider';

export interface OAuthTestClient {
  clientId: string;
  clientSecret: string;
  /** How the client must authenticate at the token endpoint (RFC 6749 §2.3.1). Default client_secret_basic. */
  authMethod?: 'client_secret_basic' | 'client_secret_post';
}

export interface OAuthServerOptions {
  clients?: OAuthTestClient[];
  /** Scopes every client may request. */
  scopes?: string[];
  /** Resource indicator (RFC 8707) of the test API; the default audience of every token. */
  resource?: string;
  /** Lifetime of issued access tokens. */
  tokenTtlSeconds?: number;
}

/** What arrived at the token endpoint (never the client secret). */
export interface TokenRequestRecord {
  status: number;
  grantType?: string;
  clientAuth: 'basic' | 'body' | 'none';
  scope?: string;
  audience?: string;
  resource?: string;
}

export interface OAuthServer {
  issuer: string;
  tokenUrl: string;
  /** Resource indicator the tokens are issued for (their `aud`). */
  resource: string;
  /** Requests that reached the token endpoint, successful or not. */
  tokenRequests(): number;
  tokenRequestLog(): TokenRequestRecord[];
  /** True when `token` is an unexpired JWT access token signed by this provider for `resource`. */
  verify(token: string): Promise<boolean>;
  close(): Promise<void>;
}

export const defaultOAuthClient: Required<OAuthTestClient> = {
  clientId: 'agent-test-client',
  clientSecret: 'test-client-secret:+/=%',
  authMethod: 'client_secret_basic',
};

interface JwtParts {
  header: { alg?: string; kid?: string };
  payload: { iss?: string; aud?: string | string[]; exp?: number };
  signed: string;
  signature: Buffer;
}

function decodeJwt(token: string): JwtParts | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as JwtParts['header'],
      payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtParts['payload'],
      signed: `${header}.${payload}`,
      signature: Buffer.from(signature, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

function verifyJwt(token: string, key: KeyObject, kid: string, issuer: string, audience: string): boolean {
  const jwt = decodeJwt(token);
  if (!jwt || jwt.header.alg !== 'RS256' || jwt.header.kid !== kid) return false;
  if (!verifySignature('RSA-SHA256', Buffer.from(jwt.signed), key, jwt.signature)) return false;
  const { iss, aud, exp } = jwt.payload;
  const audiences = Array.isArray(aud) ? aud : [aud];
  return iss === issuer && audiences.includes(audience) && typeof exp === 'number' && exp * 1000 > Date.now();
}

function stringParam(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** Starts the provider; always close() it. */
export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  const clients = options.clients ?? [defaultOAuthClient];
  const scopes = options.scopes ?? ['invoices:write', 'invoices:read'];
  const resource = options.resource ?? 'https://api.test.invalid/';
  const ttl = options.tokenTtlSeconds ?? 300;

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const kid = 'test-signing-key';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingJwk: JsonWebKey = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: scopes.join(' '),
      token_endpoint_auth_method: c.authMethod ?? 'client_secret_basic',
    })),
    scopes,
    jwks: { keys: [signingJwk] },
    cookies: { keys: ['oauth-test-server-cookie-key'] },
    ttl: { ClientCredentials: ttl },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return {
            scope: scopes.join(' '),
            accessTokenTTL: ttl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });

  const log: TokenRequestRecord[] = [];
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method !== 'POST' || ctx.path !== '/token') return;
    const body: unknown = ctx.oidc?.body;
    const authorization = ctx.get('authorization');
    const grantType = stringParam(body, 'grant_type');
    const scope = stringParam(body, 'scope');
    const audience = stringParam(body, 'audience');
    const requested = stringParam(body, 'resource');
    log.push({
      status: ctx.status,
      clientAuth: authorization.startsWith('Basic ')
        ? 'basic'
        : stringParam(body, 'client_secret')
          ? 'body'
          : 'none',
      ...(grantType ? { grantType } : {}),
      ...(scope ? { scope } : {}),
      ...(audience ? { audience } : {}),
      ...(requested ? { resource: requested } : {}),
    });
  });
  server.on('request', provider.callback());

  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    resource,
    tokenRequests: () => log.length,
    tokenRequestLog: () => [...log],
    verify: (token) => Promise.resolve(verifyJwt(token, publicKey, kid, issuer, resource)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
