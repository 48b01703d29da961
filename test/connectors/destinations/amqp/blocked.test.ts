// A RabbitMQ with a memory alarm from the start blocks publishers: sends are retried as throttled with the broker's reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRabbitMQ, type RabbitServer } from '../../../support/rabbitmq-server.js';
import { brokerOptions, destinationFor, live, requestOf, vhost } from './broker-fixture.js';

let server: RabbitServer;
beforeAll(async () => {
  // a 1-byte memory limit: the memory alarm is on as soon as the broker runs
  server = await startRabbitMQ({ ...brokerOptions, config: ['vm_memory_high_watermark.absolute = 1'] });
  await server.withChannel(vhost, (channel) =>
    channel.assertExchange('blocked', 'fanout', { durable: true }),
  );
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe('AMQP destination on a broker that blocks publishers', () => {
  it('retries as throttled with the reason while the broker blocks publishing', async () => {
    const amqp = destinationFor(server, { exchange: 'blocked', mandatory: false });
    try {
      const first = await amqp.send(requestOf({ n: 1 }), live());
      expect(first).toMatchObject({ kind: 'retry', signal: 'throttled', code: 'blocked' });
      expect(first.kind === 'retry' && first.error).toBe(
        'the broker blocked publishing: low on memory/disk (low on memory); delivery waits',
      );
      const next = await amqp.send(requestOf({ n: 2 }), live());
      expect(next).toMatchObject({ kind: 'retry', signal: 'throttled', code: 'blocked' });
    } finally {
      await amqp.close();
    }
  });
});
