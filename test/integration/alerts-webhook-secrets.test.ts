// The agent's alert webhook takes its secrets from the secret store like connections do: the signing key and the
// client key passphrase of its tls block; one that cannot be read turns the webhook off with the reason logged.
import { createHmac } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../main/config/schema.js';
import { Engine } from '../../main/engine/engine.js';
import { startObservability, type AgentObservability } from '../../main/engine/agent-observability.js';
import { openSecretStore } from '../../main/secrets/open-secret-store.js';
import { waitFor } from '../support/agent-process.js';
import { fileSecrets } from '../support/file-secrets.js';
import { useTempDir } from '../support/temp-dir.js';
import { createTestPki, type TestPki } from '../support/test-ca.js';
import { startTlsServer, type TlsServer } from '../support/tls-server.js';

const dir = useTempDir({ prefix: 'alerts-secrets-' });
const signingKey = 'whsec-from-the-store-41ab';

let pki: TestPki;
let server: TlsServer;
const received: {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  cn: string | string[] | null;
}[] = [];
let running: { engine: Engine; observability: AgentObservability } | undefined;

beforeAll(async () => {
  pki = createTestPki();
  server = await startTlsServer({
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    ca: pki.clientCa.certPem,
    requestCert: true,
    handler: (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const peer = (request.socket as TLSSocket).getPeerCertificate();
        received.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          cn: peer?.subject?.CN ?? null,
        });
        response.writeHead(200).end();
      });
    },
  });
});
afterEach(async () => {
  await running?.observability.stop();
  await running?.engine.stop();
  running = undefined;
  received.length = 0;
});
afterAll(async () => {
  await server.close();
  pki.remove();
});

function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), text: () => lines.join('') };
}

async function start(storeValues: Record<string, string>) {
  const secrets = fileSecrets(dir());
  const store = await openSecretStore(secrets, dir());
  for (const [name, value] of Object.entries(storeValues)) await store.set(name, value);
  const config = agentConfigSchema.parse({
    configVersion: 1,
    secrets,
    alerts: {
      minFreeDiskBytes: 1,
      webhook: {
        url: `${server.url}/hooks/alerts`,
        secretRef: 'alerts-signing',
        tls: {
          caFile: pki.rootCa.certFile,
          clientCertFile: pki.client.certFile,
          clientKeyFile: pki.encryptedClientKey.keyFile,
          clientKeyPassphrase: { secretRef: 'alerts-client-key' },
        },
        proxy: { mode: 'none' },
      },
    },
  });
  const log = memoryLogger();
  const engine = await Engine.start({ config, dataDir: dir(), logger: log.logger, version: 'test' });
  const observability = await startObservability(engine, config, dir(), log.logger);
  running = { engine, observability };
  return { observability, log };
}

describe('alert webhook secrets', () => {
  it('signs with the key from the store and unlocks the client key with the stored passphrase', async () => {
    const { observability } = await start({
      'alerts-signing': signingKey,
      'alerts-client-key': pki.encryptedClientKey.passphrase,
    });
    observability.alerts.update({ freeDiskBytes: 0 });
    await waitFor(() => received.length > 0, 10_000, 'the webhook POST');
    const [request] = received;
    expect(request!.cn).toBe('integration-agent');
    const timestamp = request!.headers['x-agent-timestamp'] as string;
    const expected = createHmac('sha256', signingKey).update(`${timestamp}.${request!.body}`).digest('hex');
    expect(request!.headers['x-agent-signature']).toBe(`sha256=${expected}`);
  });

  it('turns the webhook off, naming the missing secret, when the passphrase is not in the store', async () => {
    const { log } = await start({ 'alerts-signing': signingKey });
    expect(log.text()).toContain('webhook alerts are off');
    expect(log.text()).toContain('alerts-client-key');
    expect(log.text()).not.toContain(signingKey);
  });
});
