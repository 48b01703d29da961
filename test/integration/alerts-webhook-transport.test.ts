// The alert webhook goes out like an HTTP destination: TLS with an extra CA or client certificate, a proxy with a
// login from the secret store, 409 retried, and the signature the destination's hmac auth computes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolverOf } from '../../connectors/core/secret-ref.js';
import { HmacAuth } from '../../connectors/destinations/http/auth/hmac-auth.js';
import { proxyConfigSchema, tlsConfigSchema } from '../../connectors/destinations/http/security-config.js';
import { AlertWebhook, type AlertWebhookOptions } from '../../main/alerts/alert-webhook.js';
import type { AlertTransition } from '../../main/alerts/alert-types.js';
import { startSquid, type Squid } from '../support/squid.js';
import { createTestPki, type TestPki } from '../support/test-ca.js';
import { startTlsServer, type TlsServer } from '../support/tls-server.js';

const secret = 'whsec-transport-7d1e';
const noProxy = proxyConfigSchema.parse({ mode: 'none' });
const fast = { retry: { baseMs: 5, capMs: 20 }, random: () => 1 };

let pki: TestPki;
const servers: TlsServer[] = [];
const webhooks: AlertWebhook[] = [];
let plain: Server | undefined;

beforeAll(() => {
  pki = createTestPki();
});
afterEach(async () => {
  await Promise.all(webhooks.splice(0).map((w) => w.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await new Promise<void>((resolve) => (plain ? plain.close(() => resolve()) : resolve()));
  plain = undefined;
});
afterAll(() => pki.remove());

function webhook(options: AlertWebhookOptions): AlertWebhook {
  const created = new AlertWebhook(options);
  webhooks.push(created);
  return created;
}

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Subject CN of the client certificate, if one was presented. */
  clientCert: string | string[] | null;
}

/** An HTTPS receiver with the test server certificate; answers 200 and records what it got. */
async function tlsReceiver(
  options: { requestCert?: boolean } = {},
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = await startTlsServer({
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    ...(options.requestCert ? { requestCert: true, ca: pki.clientCa.certPem } : {}),
    handler: (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const peer = (request.socket as TLSSocket).getPeerCertificate();
        received.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          clientCert: peer?.subject?.CN ?? null,
        });
        response.writeHead(200).end('ok');
      });
    },
  });
  servers.push(server);
  return { url: `${server.url}/hooks/alerts`, received };
}

/** A plain loopback receiver answering with the next status of `plan` (then 200). */
async function plainReceiver(plan: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  plain = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        clientCert: null,
      });
      response.writeHead(plan.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => plain!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(plain.address() as AddressInfo).port}/hook`, received };
}

function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), text: () => lines.join('') };
}

function transition(at: number): AlertTransition {
  return {
    kind: 'fired',
    at,
    alert: {
      id: 'disk-low',
      rule: 'disk-low',
      subject: 'agent',
      severity: 'warning',
      title: 'Low disk',
      message: 'free disk is below the limit',
      since: at,
      notifiedAt: at,
    },
  };
}

describe('alert webhook over TLS', () => {
  it('posts to a receiver issued by the CA in tls.caFile', async () => {
    const { url, received } = await tlsReceiver();
    const hook = webhook({
      url,
      timeoutMs: 5000,
      tls: tlsConfigSchema.parse({ caFile: pki.rootCa.certFile }),
      proxy: noProxy,
    });
    hook.send(transition(1000));
    await hook.idle();
    expect(hook.delivered).toBe(1);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ kind: 'fired', alert: { id: 'disk-low' } });
  });

  it('refuses that receiver without the CA and says which setting fixes it', async () => {
    const { url, received } = await tlsReceiver();
    const log = memoryLogger();
    const hook = webhook({
      url,
      timeoutMs: 5000,
      proxy: noProxy,
      maxAttempts: 1,
      logger: log.logger,
      ...fast,
    });
    hook.send(transition(1000));
    await hook.idle();
    expect(received).toHaveLength(0);
    expect(hook.dropped).toBe(1);
    expect(log.text()).toContain('alerts.webhook.tls.caFile');
    expect(log.text()).toContain('gave up on a notification');
  });

  it('presents the client certificate, its encrypted key unlocked with a passphrase from the secrets', async () => {
    const { url, received } = await tlsReceiver({ requestCert: true });
    const tls = tlsConfigSchema.parse({
      caFile: pki.rootCa.certFile,
      clientCertFile: pki.client.certFile,
      clientKeyFile: pki.encryptedClientKey.keyFile,
      clientKeyPassphrase: { secretRef: 'alerts-client-key' },
    });
    const secrets = resolverOf(new Map([['alerts-client-key', pki.encryptedClientKey.passphrase]]));
    const hook = webhook({ url, timeoutMs: 5000, tls, proxy: noProxy, secrets });
    hook.send(transition(1000));
    await hook.idle();
    expect(hook.delivered).toBe(1);
    expect(received[0]!.clientCert).toBe('integration-agent');
  });
});

describe('alert webhook status classes and signature', () => {
  it('retries a 409 as HTTP destinations do, with the same idempotency key', async () => {
    const { url, received } = await plainReceiver([409]);
    const hook = webhook({ url, timeoutMs: 2000, proxy: noProxy, ...fast });
    hook.send(transition(1000));
    await hook.idle();
    expect(received).toHaveLength(2);
    expect(received[0]!.headers['idempotency-key']).toBe(received[1]!.headers['idempotency-key']);
    expect(hook.delivered).toBe(1);
    expect(hook.dropped).toBe(0);
  });

  it('signs with what the http destination hmac auth produces for the same secret, time and body', async () => {
    const { url, received } = await plainReceiver([]);
    const clock = () => 1_750_000_123_456;
    const hook = webhook({ url, secret, timeoutMs: 2000, proxy: noProxy, clock });
    hook.send(transition(1000));
    await hook.idle();
    const [request] = received;
    const expected = await new HmacAuth(
      {
        type: 'hmac',
        secret: { secretRef: 'any' },
        algorithm: 'sha256',
        signatureHeader: 'x-agent-signature',
        timestampHeader: 'x-agent-timestamp',
        encoding: 'hex',
      },
      () => secret,
      clock,
    ).headers({ method: 'POST', url, body: Buffer.from(request!.body) });
    expect(request!.headers['x-agent-timestamp']).toBe('1750000123');
    expect(request!.headers['x-agent-timestamp']).toBe(expected['x-agent-timestamp']);
    expect(request!.headers['x-agent-signature']).toBe(`sha256=${expected['x-agent-signature']}`);
  });
});

describe('alert webhook through a proxy', () => {
  let squid: Squid | undefined;
  const login = { username: 'alerts', password: 'pr0xy-Pa55-alerts' };

  afterAll(async () => {
    await squid?.close();
  });

  it('tunnels through the proxy, logging in with the password from the secrets', async () => {
    squid = await startSquid({ auth: login });
    const { url, received } = await tlsReceiver();
    const hook = webhook({
      url,
      timeoutMs: 5000,
      tls: tlsConfigSchema.parse({ caFile: pki.rootCa.certFile }),
      proxy: proxyConfigSchema.parse({
        mode: 'explicit',
        url: squid.url,
        username: login.username,
        password: { secretRef: 'alerts-proxy' },
      }),
      secrets: resolverOf(new Map([['alerts-proxy', login.password]])),
    });
    hook.send(transition(1000));
    await hook.idle();
    expect(hook.delivered).toBe(1);
    expect(received).toHaveLength(1);
    await hook.close(); // squid writes the CONNECT line when the tunnel closes
    const port = new URL(url).port;
    const line = await squid.waitForAccessLog(
      new RegExp(`CONNECT 127\\.0\\.0\\.1:${port} ${login.username} `),
    );
    expect(line).toMatch(/TCP_TUNNEL\/200/);
  });
});
