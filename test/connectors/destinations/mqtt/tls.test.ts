// The MQTT destination over TLS to a real mosquitto with the test CA: trusted, untrusted, client certificates, files.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Destination } from '../../../../connectors/core/destination.js';
import { startMosquitto, type Mosquitto } from '../../../support/mosquitto-server.js';
import { createTestPki, type TestPki } from '../../../support/test-ca.js';
import { buildDestination, neverAborted, record, single, subscribe } from './mqtt-test-kit.js';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki.remove());

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tlsBroker(settings: string[] = [], caFile = pki.rootCa.certFile): Promise<Mosquitto> {
  const broker = await startMosquitto({
    tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile, caFile },
    settings,
  });
  cleanups.push(() => broker.stop());
  return broker;
}

function destination(raw: Record<string, unknown>): Destination {
  const built = buildDestination(raw);
  cleanups.push(() => built.close());
  return built;
}

describe('MQTT destination over TLS', () => {
  it('publishes to an mqtts broker whose certificate the configured CA issued', async () => {
    const broker = await tlsBroker();
    const sub = await subscribe(broker.url, 'secure/#', { ca: pki.rootCa.certPem });
    cleanups.push(() => sub.close());
    const mqtt = destination({ url: broker.url, topic: 'secure/t', tls: { caFile: pki.rootCa.certFile } });
    const result = await mqtt.send(single(record(1, '{"tls":true}')), neverAborted);
    expect(result).toMatchObject({ kind: 'delivered', code: 'PUBACK' });
    expect((await sub.waitFor(1))[0]).toMatchObject({ payload: '{"tls":true}', idempotencyKey: 'key-1' });
    expect(mqtt.describe?.()).toMatchObject({ tls: true, broker: `localhost:${broker.port}` });
    expect(mqtt.warning).toBeUndefined();
  });

  it('retries, saying to set tls.caFile, when the broker certificate is not trusted', async () => {
    const broker = await tlsBroker();
    const mqtt = destination({ url: broker.url, topic: 'secure/t', connectTimeoutMs: 3000 });
    const result = await mqtt.send(single(record(1, '{}')), neverAborted);
    expect(result).toMatchObject({ kind: 'retry', signal: 'failure' });
    expect(result.kind === 'retry' && result.error).toMatch(
      /presents a certificate the agent does not trust .*set tls\.caFile to the CA that issued it/,
    );
  });

  it('presents a client certificate to a broker that requires one', async () => {
    const broker = await tlsBroker(['require_certificate true'], pki.clientCa.certFile);
    const withCert = destination({
      url: broker.url,
      topic: 'mtls/t',
      tls: { caFile: pki.rootCa.certFile, certFile: pki.client.certFile, keyFile: pki.client.keyFile },
    });
    expect(await withCert.send(single(record(1, '{}')), neverAborted)).toMatchObject({ kind: 'delivered' });
    const without = destination({ url: broker.url, topic: 'mtls/t', tls: { caFile: pki.rootCa.certFile } });
    expect(await without.send(single(record(2, '{}')), neverAborted)).toMatchObject({
      kind: 'retry',
      signal: 'failure',
    });
  });

  it('fails to build when a TLS file cannot be read, naming the file', () => {
    expect(() =>
      buildDestination({ url: 'mqtts://localhost:8883', topic: 't', tls: { caFile: '/nonexistent/ca.pem' } }),
    ).toThrow('cannot read the MQTT CA file /nonexistent/ca.pem (ENOENT); fix destination.tls');
  });

  it('warns when certificate checks are turned off', () => {
    const mqtt = buildDestination({
      url: 'mqtts://localhost:8883',
      topic: 't',
      tls: { rejectUnauthorized: false },
    });
    expect(mqtt.warning).toMatch(/^INSECURE: the certificate of localhost:8883 is not verified/);
  });
});
