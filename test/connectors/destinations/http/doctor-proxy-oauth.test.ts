// Network doctor through a real squid (CONNECT, proxy login, environment proxies) and against a real oidc-provider.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpDestinationSchema } from '../../../../connectors/destinations/http/config.js';
import { runHttpDoctor } from '../../../../connectors/destinations/http/doctor/index.js';
import {
  doctorReportSchema,
  type DoctorCheck,
  type DoctorReport,
} from '../../../../preload/contract/doctor.js';
import { defaultOAuthClient, startOAuthServer, type OAuthServer } from '../../../support/oauth-server.js';
import { startSquid, type Squid } from '../../../support/squid.js';
import { createTestPki, type TestPki } from '../../../support/test-ca.js';
import { startTlsServer, type TlsServer } from '../../../support/tls-server.js';

const login = { username: 'agent', password: 'squid-Pa55:word@x' };
const wrongProxyPassword = 'not-the-squid-password-7';
const wrongClientSecret = 'wrong-client-secret-Q9';

let pki: TestPki;
let api: TlsServer;
let squid: Squid;
let authSquid: Squid;
let oauth: OAuthServer;
const authorizations: string[] = [];

beforeAll(async () => {
  pki = createTestPki();
  api = await startTlsServer({
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    handler: (request: IncomingMessage, response: ServerResponse) => {
      authorizations.push(request.headers.authorization ?? '');
      response.writeHead(request.method === 'OPTIONS' ? 204 : 200, { allow: 'OPTIONS, POST' });
      response.end();
    },
  });
  squid = await startSquid();
  authSquid = await startSquid({ auth: login });
  oauth = await startOAuthServer();
});
afterAll(async () => {
  await Promise.all([squid?.close(), authSquid?.close(), api?.close(), oauth?.close()]);
  pki?.remove();
});

async function doctor(
  input: Record<string, unknown>,
  secrets: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<DoctorReport> {
  const destination = httpDestinationSchema.parse({
    type: 'http',
    url: `${api.url}/v1/records`,
    tls: { caFile: pki.rootCa.certFile },
    ...input,
  });
  const report = await runHttpDoctor(destination, {
    secrets: (name) => {
      const value = secrets[name];
      if (value === undefined) throw new Error(`secret "${name}" was not loaded`);
      return value;
    },
    timeoutMs: 4000,
    env,
  });
  expect(doctorReportSchema.parse(report)).toEqual(report);
  return report;
}

function check(report: DoctorReport, id: string): DoctorCheck {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check in ${JSON.stringify(report.checks)}`);
  return found;
}

describe('through squid', () => {
  it('reports the proxy, its CONNECT answer and TLS through the tunnel (explicit proxy)', async () => {
    const report = await doctor({ proxy: { mode: 'explicit', url: squid.url } });
    expect(check(report, 'dns').title).toBe('DNS resolution (proxy host)');
    expect(check(report, 'tcp')).toMatchObject({
      status: 'pass',
      data: { target: `127.0.0.1:${squid.port}`, viaProxy: true },
    });
    const proxy = check(report, 'proxy');
    expect(proxy.status).toBe('pass');
    expect(proxy.data).toMatchObject({
      proxy: squid.url,
      target: `127.0.0.1:${api.port}`,
      statusLine: expect.stringMatching(/^HTTP\/1\.1 200 /),
    });
    expect(check(report, 'tls').status).toBe('pass');
    expect(check(report, 'interception').status).toBe('pass');
    expect(check(report, 'dry-run')).toMatchObject({
      status: 'pass',
      data: { status: 204, allow: 'OPTIONS, POST' },
    });
    await squid.waitForAccessLog(new RegExp(`CONNECT 127\\.0\\.0\\.1:${api.port}`));
  });

  it('finds the proxy in HTTPS_PROXY (mode env) and says when NO_PROXY sends it direct', async () => {
    const viaEnv = await doctor({}, {}, { HTTPS_PROXY: squid.url });
    expect(check(viaEnv, 'proxy')).toMatchObject({ status: 'pass', data: { proxy: squid.url } });
    const bypassed = await doctor({}, {}, { HTTPS_PROXY: squid.url, NO_PROXY: '127.0.0.1' });
    expect(check(bypassed, 'proxy')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('matches NO_PROXY'),
    });
    const none = await doctor({}, {}, {});
    expect(check(none, 'proxy').detail).toContain('HTTPS_PROXY is not set');
  });

  it('passes the proxy login, and on a wrong password reports 407 with a hint but never the password', async () => {
    const proxy = {
      mode: 'explicit',
      url: authSquid.url,
      username: login.username,
      password: { secretRef: 'proxy-pw' },
    };
    const good = await doctor({ proxy }, { 'proxy-pw': login.password });
    expect(check(good, 'proxy')).toMatchObject({ status: 'pass', data: { login: true } });
    expect(good.overall).not.toBe('fail');

    const bad = await doctor({ proxy }, { 'proxy-pw': wrongProxyPassword });
    const refused = check(bad, 'proxy');
    expect(refused.status).toBe('fail');
    expect(refused.detail).toMatch(
      /answered CONNECT 127\.0\.0\.1:\d+ with "HTTP\/1\.1 407 Proxy Authentication Required"/,
    );
    expect(refused.fix).toBe('the proxy refused the login: check proxy.username and the secret proxy-pw');
    expect(check(bad, 'tls').status).toBe('skip');
    expect(bad.overall).toBe('fail');
    const text = JSON.stringify(bad);
    expect(text).not.toContain(wrongProxyPassword);
    expect(text).not.toContain(Buffer.from(`${login.username}:${wrongProxyPassword}`).toString('base64'));

    const anonymous = await doctor({ proxy: { mode: 'explicit', url: authSquid.url } });
    expect(check(anonymous, 'proxy').fix).toContain('set proxy.username and proxy.password');
  });
});

describe('OAuth', () => {
  const auth = (secretRef: string) => ({
    type: 'oauth2-client-credentials',
    tokenUrl: oauth.tokenUrl,
    clientId: defaultOAuthClient.clientId,
    clientSecret: { secretRef },
    scope: 'invoices:write',
  });

  it('gets a token (type, lifetime and scope only) and sends it with the request', async () => {
    authorizations.length = 0;
    const report = await doctor(
      { auth: auth('oauth-secret') },
      { 'oauth-secret': defaultOAuthClient.clientSecret },
    );
    const token = check(report, 'oauth');
    expect(token.status).toBe('pass');
    expect(token.data).toMatchObject({ tokenType: 'Bearer', expiresIn: 300, scope: 'invoices:write' });
    expect(token.detail).toMatch(
      /^got a Bearer token, expires in 300 s, scope "invoices:write" from http:\/\/127\.0\.0\.1:\d+\/token/,
    );
    expect(check(report, 'dry-run').status).toBe('pass');
    const sent = authorizations.find((a) => a.startsWith('Bearer ')) ?? '';
    expect(await oauth.verify(sent.slice('Bearer '.length))).toBe(true);
    expect(JSON.stringify(report)).not.toContain(sent.slice('Bearer '.length));
    expect(JSON.stringify(report)).not.toContain(defaultOAuthClient.clientSecret);
  });

  it('fails with the provider error and a fix when the client secret is wrong, without the secret', async () => {
    const report = await doctor({ auth: auth('oauth-secret') }, { 'oauth-secret': wrongClientSecret });
    const token = check(report, 'oauth');
    expect(token.status).toBe('fail');
    expect(token.detail).toMatch(
      /OAuth token request to http:\/\/127\.0\.0\.1:\d+\/token failed: HTTP 401 invalid_client/,
    );
    expect(token.fix).toContain(
      `check auth.clientId ("${defaultOAuthClient.clientId}") and the secret oauth-secret`,
    );
    expect(check(report, 'dry-run').detail).toContain('sent without credentials');
    expect(report.overall).toBe('fail');
    expect(JSON.stringify(report)).not.toContain(wrongClientSecret);
  });

  it('fails the token check when the secret is missing from the store', async () => {
    const report = await doctor({ auth: auth('absent') });
    expect(check(report, 'oauth')).toMatchObject({
      status: 'fail',
      detail: 'secret "absent" was not loaded',
    });
  });
});
