// The MQTT destination on a real mosquitto: QoS 1 and 2 with user properties, topic templates, refusals, Receive Maximum.
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Destination, SendResult } from '../../../../connectors/core/destination.js';
import { publishPacketBytes } from '../../../../connectors/destinations/mqtt/packet-size.js';
import { waitFor } from '../../../support/agent-process.js';
import { startMosquitto, type Mosquitto } from '../../../support/mosquitto-server.js';
import {
  buildDestination,
  neverAborted,
  record,
  single,
  subscribe,
  type Subscriber,
} from './mqtt-test-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(options: Parameters<typeof startMosquitto>[0] = {}): Promise<Mosquitto> {
  const started = await startMosquitto(options);
  cleanups.push(() => started.stop());
  return started;
}

function destination(...args: Parameters<typeof buildDestination>): Destination {
  const built = buildDestination(...args);
  cleanups.push(() => built.close());
  return built;
}

async function subscriber(url: string, filter: string, options = {}): Promise<Subscriber> {
  const sub = await subscribe(url, filter, options);
  cleanups.push(() => sub.close());
  return sub;
}

describe('MQTT destination', () => {
  it('publishes each record once at QoS 1 with the idempotency key and content type, delivered on PUBACK', async () => {
    const mosquitto = await broker();
    const sub = await subscriber(mosquitto.url, 'orders/#');
    const mqtt = destination({ url: mosquitto.url, topic: 'orders/created' });
    const results: SendResult[] = [];
    for (const id of [1, 2, 3])
      results.push(await mqtt.send(single(record(id, `{"n":${id}}`)), neverAborted));

    expect(results.map((r) => r.kind)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(results[0]).toMatchObject({
      kind: 'delivered',
      code: 'PUBACK',
      request: { operation: 'publish', target: 'orders/created', bytes: 7, records: 1 },
    });
    const messages = await sub.waitFor(3);
    expect(messages).toEqual(
      [1, 2, 3].map((id) => ({
        topic: 'orders/created',
        payload: `{"n":${id}}`,
        idempotencyKey: `key-${id}`,
        contentType: 'application/json',
        retain: false,
      })),
    );
    // a persistent session (c0: clean start off) under the default client id from connection id and host name
    const clientId = `agent-orders-${hostname().replace(/[^A-Za-z0-9_-]+/g, '-')}`;
    await waitFor(() => mosquitto.output().includes(`as ${clientId} (p5, c0,`), 5000, 'the connect log line');
    expect(mqtt.label).toBe(`MQTT 127.0.0.1:${mosquitto.port} topic orders/created`);
    expect(mqtt.describe?.()).toEqual({
      broker: `127.0.0.1:${mosquitto.port}`,
      protocol: 'MQTT 5',
      qos: '1',
      tls: false,
      auth: 'none',
    });
  });

  it('publishes at QoS 2, delivered on PUBCOMP, each message exactly once at the subscriber', async () => {
    const mosquitto = await broker();
    const sub = await subscriber(mosquitto.url, 'q2/#');
    const mqtt = destination({ url: mosquitto.url, topic: 'q2/{{idempotencyKey}}', qos: 2 });
    const results = await Promise.all(
      [1, 2, 3, 4].map((id) => mqtt.send(single(record(id, `{"n":${id}}`)), neverAborted)),
    );
    expect(results.map((r) => r.kind === 'delivered' && r.code)).toEqual([
      'PUBCOMP',
      'PUBCOMP',
      'PUBCOMP',
      'PUBCOMP',
    ]);
    await sub.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a duplicate to show up
    expect(sub.messages.map((m) => m.idempotencyKey).sort()).toEqual(['key-1', 'key-2', 'key-3', 'key-4']);
    expect(sub.messages.map((m) => m.topic).sort()).toEqual(['q2/key-1', 'q2/key-2', 'q2/key-3', 'q2/key-4']);
  });

  it('speaks MQTT 3.1.1 when protocolVersion is 4 (no user properties there)', async () => {
    const mosquitto = await broker();
    const sub = await subscriber(mosquitto.url, 'v4/#');
    const mqtt = destination({ url: mosquitto.url, topic: 'v4/t', protocolVersion: 4, retain: true });
    const result = await mqtt.send(single(record(1, '{"v":4}')), neverAborted);
    expect(result).toMatchObject({ kind: 'delivered', code: 'PUBACK' });
    const [message] = await sub.waitFor(1);
    expect(message).toMatchObject({ topic: 'v4/t', payload: '{"v":4}', idempotencyKey: undefined });
    expect(mqtt.describe?.()).toMatchObject({ protocol: 'MQTT 3.1.1' });
    // retain: a subscriber that comes later still gets the last message
    const late = await subscriber(mosquitto.url, 'v4/#');
    const [kept] = await late.waitFor(1);
    expect(kept).toMatchObject({ payload: '{"v":4}', retain: true });
  });

  it('fills the topic from record fields, and a record whose topic would be invalid is dead naming the field', async () => {
    const mosquitto = await broker();
    const sub = await subscriber(mosquitto.url, 'shop/#');
    const mqtt = destination({ url: mosquitto.url, topic: 'shop/{{record.region}}/{{businessKey}}' });
    const good = await mqtt.send(
      single(record(1, '{"region":"eu"}', { businessKey: 'order-7' })),
      neverAborted,
    );
    expect(good).toMatchObject({ kind: 'delivered', request: { target: 'shop/eu/order-7' } });
    expect((await sub.waitFor(1))[0]?.topic).toBe('shop/eu/order-7');

    const slash = await mqtt.send(
      single(record(2, '{"region":"eu/west"}', { businessKey: 'b' })),
      neverAborted,
    );
    expect(slash).toMatchObject({ kind: 'dead', code: 'invalid-topic' });
    expect(slash.kind === 'dead' && slash.error).toMatch(/\{\{record\.region\}\} is "eu\/west".*"\/"/);
    const wildcard = await mqtt.send(single(record(3, '{"region":"#"}', { businessKey: 'b' })), neverAborted);
    expect(wildcard.kind === 'dead' && wildcard.error).toMatch(/\{\{record\.region\}\}.*wildcard/);
    const missing = await mqtt.send(single(record(4, '{"other":1}', { businessKey: 'b' })), neverAborted);
    expect(missing.kind === 'dead' && missing.error).toMatch(
      /needs \{\{record\.region\}\}, but this record has no value/,
    );
    const noKey = await mqtt.send(single(record(5, '{"region":"eu"}')), neverAborted);
    expect(noKey.kind === 'dead' && noKey.error).toMatch(/\{\{businessKey\}\}/);
    expect(sub.messages).toHaveLength(1);
  });

  it('is dead, naming the topic, when the ACL does not let the user publish there', async () => {
    const mosquitto = await broker({
      users: { alice: 'alice-secret' },
      acl: ['user alice', 'topic write allowed/#', 'topic read allowed/#'],
    });
    const mqtt = destination(
      {
        url: mosquitto.url,
        topic: '{{businessKey}}/x',
        username: { secretRef: 'mqtt-user' },
        password: { secretRef: 'mqtt-password' },
      },
      { 'mqtt-user': 'alice', 'mqtt-password': 'alice-secret' },
    );
    const allowed = await mqtt.send(single(record(1, '{}', { businessKey: 'allowed' })), neverAborted);
    expect(allowed).toMatchObject({ kind: 'delivered', code: 'PUBACK' });
    const refused = await mqtt.send(single(record(2, '{}', { businessKey: 'secret' })), neverAborted);
    expect(refused).toMatchObject({ kind: 'dead', code: 'PUBACK 0x87' });
    expect(refused.kind === 'dead' && refused.error).toBe(
      'the broker refuses publishing to secret/x: not authorized; fix: grant the user publish rights on that topic, then replay',
    );
    expect(mqtt.describe?.()).toMatchObject({ auth: 'password' });
    expect(JSON.stringify(mqtt.describe?.())).not.toContain('alice-secret');
  });

  it('retries a refused login as a failure whose message says which secret to fix', async () => {
    const mosquitto = await broker({ users: { alice: 'right' } });
    const mqtt = destination(
      {
        url: mosquitto.url,
        topic: 't',
        username: { secretRef: 'mqtt-user' },
        password: { secretRef: 'mqtt-password' },
      },
      { 'mqtt-user': 'alice', 'mqtt-password': 'wrong' },
    );
    const result = await mqtt.send(single(record(1, '{}')), neverAborted);
    // mosquitto answers a wrong password with "not authorized" (0x87) rather than "bad user name or password"
    expect(result).toMatchObject({ kind: 'retry', signal: 'failure', code: 'CONNACK 0x87' });
    expect(result.kind === 'retry' && result.error).toMatch(
      new RegExp(
        `^the broker at 127\\.0\\.0\\.1:${mosquitto.port} refuses the connection: not authorized \\(0x87\\); ` +
          'fix the secrets "mqtt-user" and "mqtt-password" \\(integration-agent secrets set <name>\\)',
      ),
    );
    // MQTT 3.1.1 reports it with return code 5, shown as its MQTT 5 reason code
    const v4 = destination(
      {
        url: mosquitto.url,
        topic: 't',
        protocolVersion: 4,
        username: { secretRef: 'u' },
        password: { secretRef: 'p' },
      },
      { u: 'alice', p: 'wrong' },
    );
    const old = await v4.send(single(record(2, '{}')), neverAborted);
    expect(old).toMatchObject({ kind: 'retry', signal: 'failure', code: 'CONNACK 0x87' });
    expect(old.kind === 'retry' && old.error).toMatch(/fix the secrets "u" and "p"/);
  });

  it('retries with a plain message when nothing listens on the port', async () => {
    const mosquitto = await broker();
    const port = mosquitto.port;
    await mosquitto.pause();
    const mqtt = destination({ url: `mqtt://127.0.0.1:${port}`, topic: 't', connectTimeoutMs: 2000 });
    const result = await mqtt.send(single(record(1, '{}')), neverAborted);
    expect(result).toMatchObject({ kind: 'retry', signal: 'failure', code: 'ECONNREFUSED' });
    expect(result.kind === 'retry' && result.error).toMatch(
      new RegExp(`^the broker at 127\\.0\\.0\\.1:${port} refuses connections; is it running\\?`),
    );
  });

  it('gives a send back when its abort signal fires', async () => {
    const mosquitto = await broker();
    await mosquitto.pause();
    const mqtt = destination({ url: mosquitto.url, topic: 't' });
    const controller = new AbortController();
    controller.abort();
    const result = await mqtt.send(single(record(1, '{}')), controller.signal);
    expect(result).toMatchObject({ kind: 'retry', code: 'aborted' });
  });

  it("keeps publishes in flight within the broker's Receive Maximum, so none is refused for quota", async () => {
    // mosquitto answers QoS 2 publishes beyond max_inflight_messages with "quota exceeded" (0x97)
    const mosquitto = await broker({ settings: ['max_inflight_messages 2'] });
    const sub = await subscriber(mosquitto.url, 'rm/#');
    const mqtt = destination({ url: mosquitto.url, topic: 'rm/{{idempotencyKey}}', qos: 2, concurrency: 8 });
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    const results = await Promise.all(ids.map((id) => mqtt.send(single(record(id, `${id}`)), neverAborted)));
    expect(results.map((r) => r.kind)).toEqual(ids.map(() => 'delivered'));
    expect((await sub.waitFor(8)).map((m) => m.payload).sort()).toEqual(ids.map(String).sort());
  });

  it("is dead for a message larger than the broker's Maximum Packet Size, and the connection stays up", async () => {
    const mosquitto = await broker({ settings: ['max_packet_size 200'] });
    const sub = await subscriber(mosquitto.url, 'big/#');
    const mqtt = destination({ url: mosquitto.url, topic: 'big/t' });
    /** A record whose PUBLISH packet is `bytes` long, by the agent's own count. */
    const sized = (id: number, bytes: number) => {
      const base = record(id, '');
      const options = {
        qos: 1 as const,
        properties: {
          contentType: base.contentType,
          userProperties: { 'idempotency-key': base.idempotencyKey },
        },
      };
      let length = bytes;
      while (publishPacketBytes('big/t', Buffer.alloc(length), options, 5) > bytes) length -= 1;
      expect(publishPacketBytes('big/t', Buffer.alloc(length), options, 5)).toBe(bytes);
      return record(id, 'x'.repeat(length));
    };
    // exactly at the limit: taken (so the size the agent computes is the size on the wire)
    expect(await mqtt.send(single(sized(1, 200)), neverAborted)).toMatchObject({ kind: 'delivered' });
    const tooBig = await mqtt.send(single(sized(2, 201)), neverAborted);
    expect(tooBig).toMatchObject({ kind: 'dead', code: 'packet-too-large' });
    expect(tooBig.kind === 'dead' && tooBig.error).toBe(
      "the message to big/t would be 201 bytes, more than the 200 the broker takes (its Maximum Packet Size); fix: raise the broker's limit or send smaller records, then replay",
    );
    expect(await mqtt.send(single(record(3, 'small')), neverAborted)).toMatchObject({ kind: 'delivered' });
    expect((await sub.waitFor(2)).map((m) => m.idempotencyKey)).toEqual(['key-1', 'key-3']);
  });
});
