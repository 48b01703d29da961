// MQTT destination config: defaults, broker URLs, plain mqtt only to loopback, topic templates, version rules, fixes.
import { describe, expect, it } from 'vitest';
import type { OutgoingRecord } from '../../../../connectors/core/destination.js';
import { defaultClientId } from '../../../../connectors/destinations/mqtt/client-options.js';
import { mqttDestinationSchema } from '../../../../connectors/destinations/mqtt/config.js';
import { renderTopic, topicProblem } from '../../../../connectors/destinations/mqtt/topic.js';
import { fromZodError } from '../../../../main/config/errors.js';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { mqttConfig } from './mqtt-test-kit.js';

function issuesOf(destination: Record<string, unknown>) {
  const result = agentConfigSchema.safeParse({
    configVersion: 1,
    connections: [
      { id: 'a', source: { type: 'folder', path: '/in' }, destination: { type: 'mqtt', ...destination } },
    ],
  });
  if (result.success) throw new Error('the config was accepted');
  return fromZodError('agent.yaml', result.error).issues;
}

const at = (field: string) => `connections[0].destination.${field}`;

describe('MQTT destination config', () => {
  it('fills the defaults: QoS 1, MQTT 5, persistent session, no retain, verified TLS', () => {
    const parsed = mqttDestinationSchema.parse({
      type: 'mqtt',
      url: 'mqtts://broker.example.com',
      topic: 'a/b',
    });
    expect(parsed).toMatchObject({
      qos: 1,
      retain: false,
      protocolVersion: 5,
      cleanSession: false,
      allowInsecure: false,
      tls: { rejectUnauthorized: true },
      connectTimeoutMs: 10_000,
      publishTimeoutMs: 30_000,
      concurrency: 4,
    });
    expect(parsed.clientId).toBeUndefined();
    expect(parsed.sessionExpirySeconds).toBeUndefined();
  });

  it('accepts the whole config through the agent schema', () => {
    const result = agentConfigSchema.safeParse({
      configVersion: 1,
      connections: [
        {
          id: 'a',
          source: { type: 'folder', path: '/in' },
          destination: {
            type: 'mqtt',
            url: 'mqtts://broker.example.com:8883',
            topic: 'orders/{{record.region}}/{{businessKey}}',
            qos: 2,
            retain: true,
            clientId: 'plant-7',
            sessionExpirySeconds: 3600,
            messageExpirySeconds: 60,
            username: { secretRef: 'mqtt-user' },
            password: { secretRef: 'mqtt-password' },
            tls: { caFile: '/etc/ca.pem', certFile: '/etc/c.pem', keyFile: '/etc/c.key' },
          },
        },
      ],
    });
    expect(result.success).toBe(true);
  });

  it('refuses plain mqtt to another host unless allowInsecure is set, and URLs that are no broker', () => {
    expect(issuesOf({ url: 'mqtt://broker.example.com', topic: 't' })).toEqual([
      {
        path: at('url'),
        problem:
          'plain mqtt to broker.example.com would carry records and the password across the network unencrypted',
        fix: 'use an mqtts:// URL; only on a trusted internal network, set allowInsecure: true on the destination',
      },
    ]);
    expect(
      mqttConfig({ url: 'mqtt://broker.example.com', topic: 't', allowInsecure: true }).allowInsecure,
    ).toBe(true);
    expect(mqttConfig({ url: 'mqtt://127.0.0.1:1883', topic: 't' }).url).toBe('mqtt://127.0.0.1:1883');
    expect(mqttConfig({ url: 'mqtt://localhost', topic: 't' }).url).toBe('mqtt://localhost');
    expect(issuesOf({ url: 'https://broker', topic: 't' })[0]).toMatchObject({
      problem: 'must be an mqtt:// or mqtts:// URL, not https://',
    });
    expect(issuesOf({ url: 'broker:1883', topic: 't' })[0]?.problem).toMatch(/mqtt:\/\/ or mqtts:\/\//);
    expect(issuesOf({ url: 'not a url', topic: 't' })[0]).toMatchObject({
      problem: '"not a url" is not a URL',
    });
    expect(issuesOf({ url: 'mqtts://u:p@broker', topic: 't' })[0]).toMatchObject({
      problem: 'holds credentials, which would end up in logs and status',
      fix: 'remove them from the URL and set username and password as { "secretRef": "<name>" }',
    });
    expect(issuesOf({ url: 'mqtts://broker/orders', topic: 't' })[0]?.problem).toMatch(/has a path/);
  });

  it('refuses topic templates with wildcards, empty levels, a leading $ or unknown placeholders', () => {
    const problems = (topic: string) => issuesOf({ url: 'mqtts://b', topic }).map((i) => i.problem);
    expect(problems('orders/+')).toEqual([
      'the topic "orders/+" contains a wildcard (+ or #), which only subscriptions may use',
    ]);
    expect(problems('orders/#')[0]).toMatch(/wildcard/);
    expect(problems('orders//x')[0]).toMatch(/empty level/);
    expect(problems('/orders')[0]).toMatch(/empty level/);
    expect(problems('orders/')[0]).toMatch(/empty level/);
    expect(problems('$SYS/x')[0]).toMatch(/starts with "\$"/);
    expect(problems('orders/{{customer}}')).toEqual([
      'unknown placeholder {{customer}}: use {{idempotencyKey}}, {{businessKey}} or {{record.<field>}}',
    ]);
    expect(issuesOf({ url: 'mqtts://b', topic: 'orders/+' })[0]?.fix).toBe(
      'use a topic such as "orders/{{businessKey}}"; see docs/mqtt-destination.md',
    );
    expect(topicProblem('x'.repeat(65_536))).toBe('is 65536 bytes long, more than the 65535 MQTT allows');
    expect(topicProblem('ü'.repeat(32_768))).toMatch(/65536 bytes/);
  });

  it('refuses MQTT 5 settings with protocolVersion 4, and a half client certificate', () => {
    expect(
      issuesOf({
        url: 'mqtts://b',
        topic: 't',
        protocolVersion: 4,
        messageExpirySeconds: 5,
        sessionExpirySeconds: 60,
      }),
    ).toEqual([
      {
        path: at('sessionExpirySeconds'),
        problem: 'is an MQTT 5 setting, and protocolVersion is 4 (MQTT 3.1.1)',
        fix: 'remove it, or set protocolVersion to 5',
      },
      {
        path: at('messageExpirySeconds'),
        problem: 'is an MQTT 5 setting, and protocolVersion is 4 (MQTT 3.1.1)',
        fix: 'remove it, or set protocolVersion to 5',
      },
    ]);
    expect(
      issuesOf({ url: 'mqtts://b', topic: 't', protocolVersion: 4, password: { secretRef: 'p' } })[0],
    ).toMatchObject({
      path: at('username'),
      problem: 'MQTT 3.1.1 sends a password only with a user name',
    });
    expect(issuesOf({ url: 'mqtts://b', topic: 't', tls: { certFile: '/c.pem' } })[0]).toMatchObject({
      path: at('tls'),
      problem: 'a client certificate needs both certFile and keyFile',
    });
    expect(issuesOf({ url: 'mqtt://localhost', topic: 't', tls: { caFile: '/ca.pem' } })[0]).toMatchObject({
      problem: 'has TLS files but the URL is plain mqtt://',
    });
    expect(issuesOf({ url: 'mqtts://b', topic: 't', qos: 0 })[0]?.path).toBe(at('qos'));
    expect(issuesOf({ url: 'mqtts://b', topic: 't', password: 'plain' })[0]?.path).toBe(at('password'));
  });

  it('wants a lease longer than a connect plus a publish', () => {
    expect(issuesOf({ url: 'mqtts://b', topic: 't', leaseMs: 30_000 })).toEqual([
      {
        path: at('leaseMs'),
        problem:
          'leaseMs (30000) must be longer than connectTimeoutMs + publishTimeoutMs (40000): a lease could expire while its message is still in flight',
        fix: 'set leaseMs to at least 50000',
      },
    ]);
  });

  it('derives a stable default client id from the connection id and the host name', () => {
    const config = mqttConfig({ url: 'mqtts://b', topic: 't' });
    const id = defaultClientId('orders', config);
    expect(id).toMatch(/^agent-orders-[A-Za-z0-9_-]+$/);
    expect(defaultClientId('orders', config)).toBe(id);
    expect(defaultClientId('invoices', config)).not.toBe(id);
    const long = defaultClientId('x'.repeat(100), config);
    expect(long.length).toBeLessThanOrEqual(64);
    expect(defaultClientId(undefined, config)).toMatch(/^agent-.+-[0-9a-f]{16}$/);
  });

  it('renders topics from the record and refuses values that would change its levels', () => {
    const r: OutgoingRecord = {
      id: 1,
      idempotencyKey: 'k1',
      businessKey: 'b1',
      contentType: 'application/json',
      payload: Buffer.from('{"site":{"id":7},"ok":true}'),
      attempts: 1,
    };
    expect(renderTopic('s/{{record.site.id}}/{{record.ok}}/{{businessKey}}/{{idempotencyKey}}', r)).toBe(
      's/7/true/b1/k1',
    );
    expect(() => renderTopic('s/{{record.site}}', r)).toThrow(
      'the topic needs {{record.site}}, but this record has a non-text value for it',
    );
    const text = { ...r, contentType: 'text/plain', payload: Buffer.from('hello') };
    expect(() => renderTopic('s/{{record.x}}', text)).toThrow(
      "the topic uses {{record.x}} but the record's payload is not JSON (text/plain)",
    );
  });
});
