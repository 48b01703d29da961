// AMQP destination config: defaults, no credentials in the URL, plain amqp only to loopback, templates, each with a fix.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { resolverOf } from '../../../../connectors/core/secret-ref.js';
import { amqpConnector } from '../../../../connectors/destinations/amqp/connector.js';
import { amqpDestinationSchema, brokerAddress } from '../../../../connectors/destinations/amqp/config.js';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { fromZodError } from '../../../../main/config/errors.js';

function issuesOf(destination: Record<string, unknown>) {
  const result = agentConfigSchema.safeParse({
    configVersion: 1,
    connections: [
      {
        id: 'a',
        source: { type: 'folder', path: '/in' },
        destination: { type: 'amqp', exchange: 'orders', ...destination },
      },
    ],
  });
  if (result.success) throw new Error('the config was accepted');
  return fromZodError('agent.yaml', result.error).issues;
}

describe('AMQP destination config', () => {
  it('fills the defaults: persistent, mandatory, 30 s heartbeats, and reads host, port and vhost from the URL', () => {
    const parsed = amqpDestinationSchema.parse({
      type: 'amqp',
      url: 'amqps://broker.example.com/sales%2Feu',
      exchange: 'orders',
    });
    expect(parsed).toMatchObject({
      routingKey: '',
      persistent: true,
      mandatory: true,
      headers: {},
      allowInsecure: false,
      heartbeatSeconds: 30,
      connectTimeoutMs: 10_000,
      concurrency: 4,
    });
    expect(brokerAddress(parsed.url)).toEqual({
      tls: true,
      hostname: 'broker.example.com',
      port: 5671,
      vhost: 'sales/eu',
    });
    expect(brokerAddress('amqp://127.0.0.1')).toMatchObject({ port: 5672, vhost: '/' });
    expect(amqpConnector.label(parsed)).toBe('AMQP broker.example.com:5671/sales/eu exchange orders');
    expect(amqpConnector.capabilities).toEqual({ batching: false });
  });

  it('refuses credentials in the URL and says where they belong', () => {
    expect(issuesOf({ url: 'amqps://app:s3cret@broker.example.com/' })).toEqual([
      {
        path: 'connections[0].destination.url',
        problem: 'must not contain credentials',
        fix: 'remove "user:password@" from the URL; put the user name in username and the password in the secret store, referenced by password: { secretRef: <name> }',
      },
    ]);
  });

  it('refuses plain amqp:// to another host unless allowInsecure, and then warns', () => {
    expect(issuesOf({ url: 'amqp://broker.example.com/' })).toEqual([
      {
        path: 'connections[0].destination.url',
        problem:
          'plain amqp:// to broker.example.com would carry records and the password across the network unencrypted',
        fix: 'use amqps:// (port 5671); only on a trusted internal network, set allowInsecure: true on the destination',
      },
    ]);
    for (const url of ['amqp://localhost/', 'amqp://127.0.0.1:5673/v', 'amqp://[::1]/'])
      expect(amqpDestinationSchema.safeParse({ type: 'amqp', url, exchange: 'x' }).success).toBe(true);
    const allowed = amqpDestinationSchema.parse({
      type: 'amqp',
      url: 'amqp://broker.example.com/',
      exchange: 'x',
      allowInsecure: true,
    });
    const destination = amqpConnector.create(allowed, {
      secrets: resolverOf(new Map()),
      logger: pino({ level: 'silent' }),
    });
    expect(destination.warning).toContain('INSECURE');
  });

  it('refuses other schemes, queries, nested paths, unknown placeholders and a password without a user', () => {
    const problems = (destination: Record<string, unknown>) =>
      issuesOf(destination).map((i) => `${i.path.replace('connections[0].destination.', '')}: ${i.problem}`);
    expect(problems({ url: 'https://broker.example.com/' })).toEqual([
      'url: must start with amqp:// or amqps:// (found https://)',
    ]);
    expect(problems({ url: 'amqps://b.example.com/v?heartbeat=5' })).toEqual([
      'url: must not have a query or fragment',
    ]);
    expect(problems({ url: 'amqps://b.example.com/a/b' })).toEqual([
      'url: the path "/a/b" is more than one vhost name',
    ]);
    expect(problems({ url: 'amqps://b.example.com/', routingKey: '{{customer}}' })).toEqual([
      'routingKey: unknown placeholder {{customer}}: use {{idempotencyKey}}, {{businessKey}} or {{record.<field>}}',
    ]);
    expect(problems({ url: 'amqps://b.example.com/', exchange: 'x'.repeat(256) })).toEqual([
      'exchange: is 256 bytes long without its placeholders; AMQP allows 255',
    ]);
    expect(problems({ url: 'amqps://b.example.com/', password: { secretRef: 'p' } })).toEqual([
      'username: is required when password is set',
    ]);
    expect(problems({ url: 'amqp://127.0.0.1/', tls: { caFile: '/ca.pem' } })).toEqual([
      'tls: applies to amqps:// only, but the URL is plain amqp://',
    ]);
    expect(problems({ url: 'amqps://b.example.com/', tls: { certFile: '/c.pem' } })).toEqual([
      'tls.keyFile: certFile and keyFile must be given together',
    ]);
  });

  it('fails building the destination when a TLS file cannot be read, naming the setting', () => {
    const config = amqpDestinationSchema.parse({
      type: 'amqp',
      url: 'amqps://b.example.com/',
      exchange: 'x',
      tls: { caFile: '/nonexistent/ca.pem' },
    });
    expect(() =>
      amqpConnector.create(config, { secrets: resolverOf(new Map()), logger: pino({ level: 'silent' }) }),
    ).toThrow('destination.tls.caFile /nonexistent/ca.pem cannot be read (ENOENT)');
  });
});
