// "Test connection" for an MQTT destination on a real mosquitto: TCP, TLS, CONNACK and publish permission, each with a fix.
import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../../preload/contract/doctor.js';
import { checkTopic } from '../../../../connectors/destinations/mqtt/checks.js';
import { mqttConnector } from '../../../../connectors/destinations/mqtt/connector.js';
import { findDestinationConnector } from '../../../../connectors/registry.js';
import { startMosquitto, type Mosquitto } from '../../../support/mosquitto-server.js';
import { createTestPki } from '../../../support/test-ca.js';
import { mqttConfig, subscribe } from './mqtt-test-kit.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(options: Parameters<typeof startMosquitto>[0] = {}): Promise<Mosquitto> {
  const started = await startMosquitto(options);
  cleanups.push(() => started.stop());
  return started;
}

const secrets = (values: Record<string, string>) => (name: string) => {
  const value = values[name];
  if (value === undefined) throw new Error(`secret "${name}" was not loaded`);
  return value;
};

function check(raw: Record<string, unknown>, values: Record<string, string> = {}): Promise<DoctorReport> {
  return mqttConnector.check(mqttConfig(raw), {
    secrets: secrets(values),
    timeoutMs: 3000,
    connection: 'orders',
  });
}

const byId = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c]));

describe('MQTT destination checks', () => {
  it('is registered as a destination without batching', () => {
    expect(findDestinationConnector('mqtt')).toBe(mqttConnector);
    expect(mqttConnector).toMatchObject({ title: 'MQTT broker', capabilities: { batching: false } });
    expect(
      mqttConnector.label(mqttConfig({ url: 'mqtts://b.example.com', topic: 'a/{{businessKey}}' })),
    ).toBe('MQTT b.example.com:8883 topic a/{{businessKey}}');
  });

  it('derives a check topic that is a valid name beside the real ones', () => {
    expect(checkTopic('orders/{{record.region}}/{{businessKey}}')).toBe('orders/_check/_check');
    expect(checkTopic('orders/created')).toBe('orders/created/_check');
  });

  it('passes every step on a good broker and publishes one short-lived check message', async () => {
    const mosquitto = await broker();
    const sub = await subscribe(mosquitto.url, 'plant/#');
    cleanups.push(() => sub.close());
    const report = await check({ url: mosquitto.url, topic: 'plant/{{businessKey}}' });
    expect(report).toMatchObject({
      destination: `mqtt://127.0.0.1:${mosquitto.port}`,
      connection: 'orders',
      overall: 'pass',
    });
    const steps = byId(report);
    expect(steps.tcp).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining(`127.0.0.1:${mosquitto.port}`),
    });
    expect(steps.tls).toMatchObject({ status: 'skip' });
    expect(steps.connack).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('without a login'),
    });
    expect(steps.publish).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('to plant/_check: PUBACK'),
      data: { topic: 'plant/_check' },
    });
    const [message] = await sub.waitFor(1);
    expect(message).toMatchObject({ topic: 'plant/_check', payload: '', retain: false });
  });

  it('fails on a refused port with a fix and skips the rest', async () => {
    const mosquitto = await broker();
    await mosquitto.pause();
    const report = await check({ url: `mqtt://127.0.0.1:${mosquitto.port}`, topic: 't' });
    expect(report.overall).toBe('fail');
    const steps = byId(report);
    expect(steps.tcp).toMatchObject({
      status: 'fail',
      detail: `the broker at 127.0.0.1:${mosquitto.port} refuses connections`,
      fix: 'is it running? Check the url and port',
      data: { code: 'ECONNREFUSED' },
    });
    expect([steps.tls?.status, steps.connack?.status, steps.publish?.status]).toEqual([
      'skip',
      'skip',
      'skip',
    ]);
  });

  it('reports a refused login in words with the secrets to fix, and a refused publish naming the topic', async () => {
    const mosquitto = await broker({ users: { bob: 'right' }, acl: ['user bob', 'topic write open/#'] });
    const login = { username: { secretRef: 'u' }, password: { secretRef: 'p' } };
    const wrong = await check({ url: mosquitto.url, topic: 'open/x', ...login }, { u: 'bob', p: 'wrong' });
    expect(byId(wrong).connack).toMatchObject({
      status: 'fail',
      detail: `the broker at 127.0.0.1:${mosquitto.port} refuses the connection: not authorized (0x87)`,
      fix: expect.stringContaining('fix the secrets "u" and "p"'),
    });
    expect(byId(wrong).publish?.status).toBe('skip');

    const denied = await check(
      { url: mosquitto.url, topic: 'closed/{{businessKey}}', ...login },
      { u: 'bob', p: 'right' },
    );
    expect(byId(denied).connack).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('with the configured login'),
    });
    expect(byId(denied).publish).toMatchObject({
      status: 'fail',
      detail: 'the broker refuses publishing to closed/_check: not authorized (0x87)',
      fix: 'grant the user publish rights on closed/+',
    });

    const missing = await check({ url: mosquitto.url, topic: 'open/x', ...login }, {});
    expect(byId(missing).connack).toMatchObject({ status: 'fail', detail: 'secret "u" was not loaded' });
  });

  it('checks the TLS handshake against the configured CA', async () => {
    const pki = createTestPki();
    cleanups.push(() => pki.remove());
    const mosquitto = await broker({
      tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile, caFile: pki.rootCa.certFile },
    });
    const good = await check({ url: mosquitto.url, topic: 't', tls: { caFile: pki.rootCa.certFile } });
    expect(good.overall).toBe('pass');
    expect(byId(good).tls).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('issued by Agent Test Root CA'),
    });
    const options = { secrets: secrets({}), timeoutMs: 3000 };
    const certificates = await mqttConnector.certificates?.(
      mqttConfig({ url: mosquitto.url, topic: 't', tls: { caFile: pki.rootCa.certFile } }),
      options,
    );
    expect(certificates).toEqual([{ subject: 'localhost', notAfter: expect.any(Number) }]);
    expect(certificates?.[0]?.notAfter).toBeGreaterThan(Date.now());
    expect(
      await mqttConnector.certificates?.(mqttConfig({ url: 'mqtt://127.0.0.1:1', topic: 't' }), options),
    ).toEqual([]);
    const untrusted = await check({ url: mosquitto.url, topic: 't' });
    expect(byId(untrusted).tls).toMatchObject({
      status: 'fail',
      fix: 'set tls.caFile to the CA that issued it',
    });
    expect(byId(untrusted).connack?.status).toBe('skip');
  });
});
