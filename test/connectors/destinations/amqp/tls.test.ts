// amqps:// against a real RabbitMQ with a test CA: verified delivery, the TLS check step, and an untrusted certificate.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amqpConnector } from '../../../../connectors/destinations/amqp/connector.js';
import { amqpDestinationSchema } from '../../../../connectors/destinations/amqp/config.js';
import { checkAmqpDestination } from '../../../../connectors/destinations/amqp/checks.js';
import { startRabbitMQ, type RabbitServer } from '../../../support/rabbitmq-server.js';
import { createTestPki, type TestPki } from '../../../support/test-ca.js';
import { brokerOptions, destinationFor, drain, live, requestOf, secrets, vhost } from './broker-fixture.js';

let pki: TestPki;
let server: RabbitServer;
beforeAll(async () => {
  pki = createTestPki();
  server = await startRabbitMQ({
    ...brokerOptions,
    tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile, caFile: pki.rootCa.certFile },
  });
  await server.withChannel(vhost, async (channel) => {
    await channel.assertExchange('secure', 'fanout', { durable: true });
    await channel.assertQueue('secure-q', { durable: true });
    await channel.bindQueue('secure-q', 'secure', '');
  });
}, 180_000);
afterAll(async () => {
  await server?.stop();
  pki?.remove();
});

const tlsUrl = () => `amqps://localhost:${server.tlsPort}/${vhost}`;

describe('AMQP destination over TLS', () => {
  it('delivers over amqps with the test CA in caFile, and says so in its facts', async () => {
    const amqp = destinationFor(server, {
      url: tlsUrl(),
      exchange: 'secure',
      tls: { caFile: pki.rootCa.certFile },
    });
    try {
      const request = requestOf({ n: 1 });
      expect(await amqp.send(request, live())).toMatchObject({ kind: 'delivered', code: 'ack' });
      expect(amqp.describe()).toMatchObject({ broker: `localhost:${server.tlsPort}`, tls: true });
      const [message] = await server.withChannel(vhost, (channel) => drain(channel, 'secure-q'));
      expect(message?.properties.messageId).toBe(request.idempotencyKey);
    } finally {
      await amqp.close();
    }
  });

  it('passes the TLS check step with a trusted CA and fails it, with a fix, without one', async () => {
    const config = (fields: Record<string, unknown>) =>
      amqpDestinationSchema.parse({
        type: 'amqp',
        url: tlsUrl(),
        username: 'admin',
        password: { secretRef: 'rabbit-admin' },
        exchange: 'secure',
        ...fields,
      });
    const trusted = await checkAmqpDestination(config({ tls: { caFile: pki.rootCa.certFile } }), {
      secrets,
      timeoutMs: 10_000,
    });
    expect(trusted.overall).toBe('pass');
    expect(trusted.checks.find((c) => c.id === 'tls')).toMatchObject({ status: 'pass' });
    expect(trusted.checks.find((c) => c.id === 'tls')?.detail).toContain('with a verified certificate');
    const certificates = await amqpConnector.certificates?.(
      config({ tls: { caFile: pki.rootCa.certFile } }),
      {
        secrets,
        timeoutMs: 10_000,
      },
    );
    expect(certificates).toEqual([
      {
        subject: expect.stringContaining('CN='),
        notAfter: Date.parse(new X509Certificate(pki.server.certPem).validTo),
      },
    ]);

    const untrusted = await checkAmqpDestination(config({}), { secrets, timeoutMs: 10_000 });
    const tls = untrusted.checks.find((c) => c.id === 'tls');
    expect(tls).toMatchObject({ status: 'fail' });
    expect(tls?.fix).toContain('set tls.caFile to the CA that signed the broker certificate');
    expect(untrusted.checks.find((c) => c.id === 'login')?.status).toBe('skip');

    const amqp = destinationFor(server, { url: tlsUrl(), exchange: 'secure' });
    try {
      const result = await amqp.send(requestOf({ n: 2 }), live());
      expect(result).toMatchObject({ kind: 'retry', signal: 'failure' });
      expect(result.kind === 'retry' && result.error).toContain('the TLS handshake with localhost');
    } finally {
      await amqp.close();
    }
  });
});
