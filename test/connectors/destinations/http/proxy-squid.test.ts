// HTTP transport through a real squid: CONNECT tunnels to https and http targets, proxy login, NO_PROXY, failures.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  proxyConfigSchema,
  tlsConfigSchema,
} from '../../../../connectors/destinations/http/security-config.js';
import {
  createHttpTransport,
  describeTransportError,
  type HttpTransport,
} from '../../../../connectors/destinations/http/transport.js';
import { startSquid, type Squid } from '../../../support/squid.js';
import { createTestPki, type TestPki } from '../../../support/test-ca.js';
import { startTlsServer, type TlsServer } from '../../../support/tls-server.js';

const login = { username: 'agent', password: 'squid-Pa55:word@x' };

let pki: TestPki;
let api: TlsServer;
let plainApi: http.Server;
let plainUrl: string;
let squid: Squid;
let authSquid: Squid;
const transports: HttpTransport[] = [];

beforeAll(async () => {
  pki = createTestPki();
  api = await startTlsServer({ cert: pki.server.certPem, key: pki.server.keyPem });
  plainApi = http.createServer((_request, response) => response.end('plain ok'));
  await new Promise<void>((resolve) => plainApi.listen(0, '127.0.0.1', resolve));
  plainUrl = `http://127.0.0.1:${(plainApi.address() as AddressInfo).port}/plain`;
  // One after the other, so afterAll can stop whichever started if the other fails.
  squid = await startSquid();
  authSquid = await startSquid({ auth: login });
});
afterEach(() => {
  for (const t of transports.splice(0)) t.close();
});
afterAll(async () => {
  await Promise.all([squid?.close(), authSquid?.close(), api?.close()]);
  await new Promise((resolve) => plainApi?.close(resolve));
  pki?.remove();
});

function transport(
  url: string,
  proxy: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
  secrets: (name: string) => string = () => login.password,
): HttpTransport {
  const created = createHttpTransport({
    url,
    timeouts: { connectMs: 5000, responseMs: 5000, totalMs: 10_000 },
    concurrency: 2,
    tls: tlsConfigSchema.parse({ caFile: pki.rootCa.certFile }),
    proxy: proxyConfigSchema.parse(proxy),
    secrets,
    env,
  });
  transports.push(created);
  return created;
}

/** A port with nothing listening: a proxy there would refuse every connection. */
async function deadPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const connectLine = (port: number, user = '-') =>
  new RegExp(`CONNECT 127\\.0\\.0\\.1:${port} ${user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `);

describe('explicit proxy', () => {
  it('tunnels an https request through squid with CONNECT', async () => {
    const t = transport(api.url, { mode: 'explicit', url: squid.url });
    const response = await (await t.client()).get(`${api.url}/through-proxy`, { responseType: 'json' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatchObject({ path: '/through-proxy' });
    expect(t.describe().proxy).toBe(squid.url);
    t.close(); // squid writes a CONNECT line when the tunnel closes
    const line = await squid.waitForAccessLog(connectLine(api.port));
    expect(line).toMatch(/TCP_TUNNEL\/200/);
  });

  it('tunnels a plain http request too', async () => {
    const t = transport(plainUrl, { mode: 'explicit', url: squid.url });
    const response = await (await t.client()).get(plainUrl);
    expect(response.body).toBe('plain ok');
    t.close();
    await squid.waitForAccessLog(connectLine(Number(new URL(plainUrl).port)));
  });

  it('goes direct to hosts in noProxy', async () => {
    const port = await deadPort();
    const t = transport(api.url, {
      mode: 'explicit',
      url: `http://127.0.0.1:${port}`,
      noProxy: ['127.0.0.1'],
    });
    expect((await (await t.client()).get(api.url)).statusCode).toBe(200);
    expect(t.describe().proxy).toBeUndefined();
  });

  it('explains a tunnel the proxy refuses (squid here only allows loopback targets)', async () => {
    const target = 'https://10.255.255.1:8443/';
    const t = transport(target, { mode: 'explicit', url: squid.url });
    const error: unknown = await (await t.client()).get(target).then(
      () => undefined,
      (e: unknown) => e,
    );
    const described = describeTransportError(error);
    expect(described.code).toBe('ERR_PROXY_REFUSED');
    expect(described.message).toContain(
      `the proxy at ${squid.url} refused to open a connection to 10.255.255.1:8443 (HTTP 403)`,
    );
  });

  it('refuses requests after close() instead of quietly opening new connections', async () => {
    const t = transport(api.url, { mode: 'explicit', url: squid.url });
    t.close();
    await expect((await t.client()).get(api.url)).rejects.toThrow(
      'the HTTP transport of this destination is closed',
    );
  });

  it('names the proxy when it cannot be reached', async () => {
    const port = await deadPort();
    const t = transport(api.url, { mode: 'explicit', url: `http://127.0.0.1:${port}` });
    const error: unknown = await (await t.client()).get(api.url).then(
      () => undefined,
      (e: unknown) => e,
    );
    const described = describeTransportError(error);
    expect(described.code).toBe('ECONNREFUSED');
    expect(described.message).toContain(`cannot reach the proxy at http://127.0.0.1:${port}`);
  });
});

describe('proxy authentication', () => {
  it('logs in with the user name from the config and the password from the secret store', async () => {
    const t = transport(api.url, {
      mode: 'explicit',
      url: authSquid.url,
      username: login.username,
      password: { secretRef: 'proxy-password' },
    });
    expect((await (await t.client()).get(api.url)).statusCode).toBe(200);
    t.close();
    await authSquid.waitForAccessLog(connectLine(api.port, login.username));
  });

  it('reports a wrong password as a 407 with what to check, never the password', async () => {
    const wrong = 'wrong-Secret-999';
    const t = transport(
      api.url,
      {
        mode: 'explicit',
        url: authSquid.url,
        username: login.username,
        password: { secretRef: 'proxy-password' },
      },
      {},
      () => wrong,
    );
    const error: unknown = await (await t.client()).get(api.url).then(
      () => undefined,
      (e: unknown) => e,
    );
    const described = describeTransportError(error);
    expect(described).toEqual({
      code: 'ERR_PROXY_AUTH',
      message: `proxy authentication failed at ${authSquid.url}: check proxy.username and the secret proxy-password`,
    });
    const basic = Buffer.from(`${login.username}:${wrong}`).toString('base64');
    for (const text of [String(error), inspect(error, { depth: 6 }), JSON.stringify(error)]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(basic);
    }
    expect(JSON.stringify(t.describe())).not.toContain(wrong);
  });

  it('says a login is needed when the proxy asks for one and none is configured', async () => {
    const t = transport(api.url, { mode: 'explicit', url: authSquid.url });
    const error: unknown = await (await t.client()).get(api.url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeTransportError(error).message).toContain(
      `proxy authentication failed at ${authSquid.url}: the proxy requires a login: set proxy.username and proxy.password`,
    );
  });
});

describe('environment proxy (mode env)', () => {
  it('uses HTTPS_PROXY from the given environment', async () => {
    const t = transport(api.url, { mode: 'env' }, { HTTPS_PROXY: squid.url });
    expect((await (await t.client()).get(`${api.url}/env`)).statusCode).toBe(200);
    expect(t.describe().proxy).toBe(squid.url);
    t.close();
    await squid.waitForAccessLog(connectLine(api.port));
  });

  it('takes credentials from the proxy URL in the environment and shows only its origin', async () => {
    const user = encodeURIComponent(login.username);
    const pass = encodeURIComponent(login.password);
    const proxyUrl = `http://${user}:${pass}@127.0.0.1:${authSquid.port}`;
    const t = transport(api.url, { mode: 'env' }, { https_proxy: proxyUrl });
    expect((await (await t.client()).get(api.url)).statusCode).toBe(200);
    expect(t.describe().proxy).toBe(authSquid.url);
  });

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const port = await deadPort();
    const t = transport(
      api.url,
      { mode: 'env' },
      { HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: 'localhost,127.0.0.1' },
    );
    expect((await (await t.client()).get(api.url)).statusCode).toBe(200);
    expect(t.describe().proxy).toBeUndefined();
  });

  it('connects directly when the environment names no proxy, and with mode none whatever it says', async () => {
    const port = await deadPort();
    const none = transport(api.url, { mode: 'none' }, { HTTPS_PROXY: `http://127.0.0.1:${port}` });
    expect((await (await none.client()).get(api.url)).statusCode).toBe(200);
    const unset = transport(api.url, { mode: 'env' }, {});
    expect((await (await unset.client()).get(api.url)).statusCode).toBe(200);
    expect(unset.describe().proxy).toBeUndefined();
  });
});
