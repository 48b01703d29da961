// OAuth 2.0 client credentials against a real oidc-provider: token use, caching, refresh, 401 handling, errors, proxy.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OAuthTokenError } from '../../../../connectors/destinations/http/auth/oauth-token-error.js';
import { createRequestAuth } from '../../../../connectors/destinations/http/auth/create-request-auth.js';
import type { RequestAuth } from '../../../../connectors/destinations/http/auth/request-auth.js';
import {
  authConfigSchema,
  proxyConfigSchema,
  tlsConfigSchema,
} from '../../../../connectors/destinations/http/security-config.js';
import {
  createHttpTransport,
  type HttpTransport,
} from '../../../../connectors/destinations/http/transport.js';
import { defaultOAuthClient, startOAuthServer, type OAuthServer } from '../../../support/oauth-server.js';
import { startSquid, type Squid } from '../../../support/squid.js';

const postClient = {
  clientId: 'agent-post-client',
  clientSecret: 'post-client-secret-81x',
  authMethod: 'client_secret_post' as const,
};

let oauth: OAuthServer;
let squid: Squid;
let apiServer: http.Server;
let apiUrl: string;
/** Tokens the test API treats as revoked (answers 401). */
const revoked = new Set<string>();
const transports: HttpTransport[] = [];

beforeAll(async () => {
  oauth = await startOAuthServer({ clients: [defaultOAuthClient, postClient], tokenTtlSeconds: 300 });
  squid = await startSquid();
  apiServer = http.createServer((request, response) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    void (async () => {
      const valid = token !== undefined && !revoked.has(token) && (await oauth.verify(token));
      response.writeHead(
        valid ? 200 : 401,
        valid ? {} : { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
      response.end(valid ? 'accepted' : 'unauthorized');
    })();
  });
  await new Promise<void>((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}/invoices`;
});
afterEach(() => {
  for (const t of transports.splice(0)) t.close();
  revoked.clear();
});
afterAll(async () => {
  await Promise.all([oauth?.close(), squid?.close()]);
  await new Promise((resolve) => apiServer?.close(resolve));
});

const secrets: Record<string, string> = {
  'oauth-secret': defaultOAuthClient.clientSecret,
  'post-secret': postClient.clientSecret,
  'wrong-secret': 'definitely-not-the-secret-7731',
};

function setup(
  auth: Record<string, unknown>,
  options: { clock?: () => number; proxy?: Record<string, unknown> } = {},
): { auth: RequestAuth; transport: HttpTransport } {
  const transport = createHttpTransport({
    url: apiUrl,
    timeouts: { connectMs: 5000, responseMs: 5000, totalMs: 10_000 },
    concurrency: 4,
    tls: tlsConfigSchema.parse({}),
    proxy: proxyConfigSchema.parse(options.proxy ?? { mode: 'none' }),
    secrets: (name) => secrets[name] ?? '',
    env: {},
  });
  transports.push(transport);
  const requestAuth = createRequestAuth(
    authConfigSchema.parse({
      type: 'oauth2-client-credentials',
      tokenUrl: oauth.tokenUrl,
      clientId: defaultOAuthClient.clientId,
      clientSecret: { secretRef: 'oauth-secret' },
      scope: 'invoices:write',
      ...auth,
    }),
    {
      transport,
      secrets: (name) => secrets[name] ?? '',
      ...(options.clock ? { clock: options.clock } : {}),
    },
  );
  return { auth: requestAuth, transport };
}

async function send(auth: RequestAuth, transport: HttpTransport, text = '{"invoice":1}'): Promise<number> {
  const body = Buffer.from(text);
  const headers = await auth.headers({ method: 'POST', url: apiUrl, body });
  const response = await (await transport.client()).post(apiUrl, { body, headers });
  return response.statusCode;
}

async function rejection(promise: Promise<unknown>): Promise<OAuthTokenError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthTokenError);
  return error as OAuthTokenError;
}

describe('OAuth 2.0 client credentials', () => {
  it('fetches one token, sends it as Bearer and reuses it for many requests', async () => {
    const { auth, transport } = setup({});
    const before = oauth.tokenRequests();
    for (let i = 0; i < 5; i += 1) expect(await send(auth, transport, `{"invoice":${i}}`)).toBe(200);
    expect(oauth.tokenRequests() - before).toBe(1);
    expect(oauth.tokenRequestLog().at(-1)).toMatchObject({
      status: 200,
      grantType: 'client_credentials',
      clientAuth: 'basic',
      scope: 'invoices:write',
    });
  });

  it('shares one token request between concurrent first callers', async () => {
    const { auth } = setup({});
    const before = oauth.tokenRequests();
    const all = await Promise.all(
      Array.from({ length: 8 }, () => auth.headers({ method: 'POST', url: apiUrl, body: Buffer.alloc(0) })),
    );
    expect(new Set(all.map((h) => h.authorization)).size).toBe(1);
    expect(oauth.tokenRequests() - before).toBe(1);
  });

  it('refreshes refreshBeforeExpiryMs before the token expires', async () => {
    let now = Date.now();
    const { auth, transport } = setup({ refreshBeforeExpiryMs: 60_000 }, { clock: () => now });
    const before = oauth.tokenRequests();
    expect(await send(auth, transport)).toBe(200);
    now += 239_000; // 300 s token: still more than 60 s left
    expect(await send(auth, transport)).toBe(200);
    expect(oauth.tokenRequests() - before).toBe(1);
    now += 2_000; // now inside the last 60 s
    expect(await send(auth, transport)).toBe(200);
    expect(oauth.tokenRequests() - before).toBe(2);
  });

  it('after a 401, invalidate() leads to exactly one new token request and the retry succeeds', async () => {
    const { auth, transport } = setup({});
    expect(await send(auth, transport)).toBe(200);
    const first = (await auth.headers({ method: 'POST', url: apiUrl, body: Buffer.alloc(0) })).authorization;
    revoked.add(first!.slice('Bearer '.length));
    const before = oauth.tokenRequests();
    expect(await send(auth, transport)).toBe(401);
    expect(auth.invalidate()).toBe(true);
    expect(await send(auth, transport)).toBe(200);
    expect(await send(auth, transport)).toBe(200);
    expect(oauth.tokenRequests() - before).toBe(1);
  });

  it('sends scope, audience and resource when configured; the token is issued for that resource', async () => {
    const { auth, transport } = setup({ audience: 'invoices-api', resource: oauth.resource });
    expect(await send(auth, transport)).toBe(200);
    expect(oauth.tokenRequestLog().at(-1)).toMatchObject({
      status: 200,
      scope: 'invoices:write',
      audience: 'invoices-api',
      resource: oauth.resource,
    });
  });

  it('authenticates with client_secret_post when clientAuth is body', async () => {
    const { auth, transport } = setup({
      clientId: postClient.clientId,
      clientSecret: { secretRef: 'post-secret' },
      clientAuth: 'body',
    });
    expect(await send(auth, transport)).toBe(200);
    expect(oauth.tokenRequestLog().at(-1)).toMatchObject({ status: 200, clientAuth: 'body' });
  });

  it('reports a bad client secret with the provider error code, never the secret, and does not cache the failure', async () => {
    const { auth } = setup({ clientSecret: { secretRef: 'wrong-secret' } });
    const before = oauth.tokenRequests();
    const error = await rejection(auth.headers({ method: 'POST', url: apiUrl, body: Buffer.alloc(0) }));
    expect(error.code).toBe('invalid_client');
    expect(error.status).toBe(401);
    expect(error.message).toContain(
      `OAuth token request to ${oauth.tokenUrl} failed: HTTP 401 invalid_client`,
    );
    expect(error.message).toContain('the secret wrong-secret');
    expect(error.message).toContain('the provider may also expect clientAuth: body');
    expect(error.message).not.toContain(secrets['wrong-secret']);
    await rejection(auth.headers({ method: 'POST', url: apiUrl, body: Buffer.alloc(0) }));
    expect(oauth.tokenRequests() - before).toBe(2);
  });

  it('fetches the token through the same proxy as the API requests', async () => {
    const { auth, transport } = setup({}, { proxy: { mode: 'explicit', url: squid.url } });
    expect(await send(auth, transport)).toBe(200);
    transport.close();
    const tokenPort = new URL(oauth.tokenUrl).port;
    await squid.waitForAccessLog(new RegExp(`CONNECT 127\\.0\\.0\\.1:${tokenPort} `));
    await squid.waitForAccessLog(new RegExp(`CONNECT 127\\.0\\.0\\.1:${new URL(apiUrl).port} `));
  });

  it('names the token endpoint when it cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { auth } = setup({ tokenUrl: `http://127.0.0.1:${port}/token` });
    const error = await rejection(auth.headers({ method: 'POST', url: apiUrl, body: Buffer.alloc(0) }));
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toContain(`cannot get an OAuth token from http://127.0.0.1:${port}/token`);
  });

  it('refuses to send the client secret over plain http to a non-loopback token endpoint', () => {
    expect(() => setup({ tokenUrl: 'http://auth.example.com/oauth/token' })).toThrow(
      /Refusing to send the OAuth client secret to http:\/\/auth\.example\.com over plain http/,
    );
  });
});
