// MQTT batches: each member is its own message with its own key; a member the broker refuses is dead alone.
import { afterEach, describe, expect, it } from 'vitest';
import { startMosquitto } from '../../../support/mosquitto-server.js';
import { buildDestination, mqttConfig, neverAborted, record, subscribe } from './mqtt-test-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('MQTT destination with batch', () => {
  it('leases by the batch limits, publishes every member under its own key, and dead-letters only the refused one', async () => {
    expect(mqttConfig({ url: 'mqtt://127.0.0.1:1883', topic: 't' }).batch).toBeUndefined();
    const broker = await startMosquitto({
      users: { alice: 'alice-secret' },
      acl: ['user alice', 'topic write allowed/#', 'topic read allowed/#'],
    });
    cleanups.push(() => broker.stop());
    const sub = await subscribe(broker.url, 'allowed/#', { username: 'alice', password: 'alice-secret' });
    cleanups.push(() => sub.close());
    const mqtt = buildDestination(
      {
        url: broker.url,
        topic: '{{businessKey}}/x',
        username: { secretRef: 'mqtt-user' },
        password: { secretRef: 'mqtt-password' },
        batch: { maxRecords: 50 },
      },
      { 'mqtt-user': 'alice', 'mqtt-password': 'alice-secret' },
    );
    cleanups.push(() => mqtt.close());
    expect(mqtt.batching).toEqual({ maxRecords: 50, maxBytes: 1024 * 1024, lingerMs: 0 });

    const members = [
      record(1, '{"n":1}', { businessKey: 'allowed' }),
      record(2, '{"n":2}', { businessKey: 'secret' }),
      record(3, '{"n":3}', { businessKey: 'allowed' }),
    ];
    const result = await mqtt.send({ idempotencyKey: 'batch-1', records: members }, neverAborted);
    expect(result).toMatchObject({
      kind: 'delivered',
      code: 'PUBACK',
      rejected: [
        {
          id: 2,
          error: expect.stringContaining('refuses publishing to secret/x: not authorized') as unknown,
        },
      ],
      request: { operation: 'publish', records: 3 },
    });
    const received = await sub.waitFor(2);
    expect(received.map((m) => m.idempotencyKey).sort()).toEqual(['key-1', 'key-3']);

    // The broker gone: the batch is sent again as a whole.
    await broker.pause();
    const down = await mqtt.send(
      {
        idempotencyKey: 'batch-2',
        records: [record(4, '{}', { businessKey: 'allowed' }), record(5, '{}', { businessKey: 'allowed' })],
      },
      AbortSignal.timeout(3000),
    );
    expect(down).toMatchObject({ kind: 'retry', signal: 'failure' });
  });
});
