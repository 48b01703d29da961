// The AMQP destination while the broker goes down and comes back: retries with a clear reason, then every record arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendResult } from '../../../../connectors/core/destination.js';
import { startRabbitMQ, type RabbitServer } from '../../../support/rabbitmq-server.js';
import { brokerOptions, destinationFor, drain, live, requestOf, vhost } from './broker-fixture.js';

let server: RabbitServer;
beforeAll(async () => {
  server = await startRabbitMQ(brokerOptions);
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe('AMQP destination through a broker outage', () => {
  it('stops waiting for a confirm when the send is aborted, and the resend under the same key is delivered', async () => {
    await server.withChannel(vhost, async (channel) => {
      await channel.assertQueue('frozen-q', { durable: true });
    });
    const amqp = destinationFor(server, { exchange: '', routingKey: 'frozen-q' });
    try {
      expect((await amqp.send(requestOf({ n: 0 }), live())).kind).toBe('delivered'); // connected
      const request = requestOf({ n: 1 });
      const controller = new AbortController();
      await server.freeze();
      try {
        const sending = amqp.send(request, controller.signal);
        setTimeout(() => controller.abort(), 200);
        const result = await sending;
        expect(result).toMatchObject({ kind: 'retry', code: 'aborted' });
        expect(result.kind === 'retry' && result.error).toContain('the message may still arrive');
      } finally {
        server.thaw();
      }
      expect(await amqp.send(request, live())).toMatchObject({ kind: 'delivered', code: 'ack' });
      const messages = await server.withChannel(vhost, (channel) => drain(channel, 'frozen-q'));
      const copies = messages.filter((m) => m.properties.messageId === request.idempotencyKey);
      expect(copies.length).toBeGreaterThanOrEqual(1); // the first publish may have arrived too: same message-id
    } finally {
      await amqp.close();
    }
  });

  it('retries while the broker is down and delivers every record once it is back', async () => {
    const exchange = 'outage';
    const queue = 'outage-q';
    await server.withChannel(vhost, async (channel) => {
      await channel.assertExchange(exchange, 'fanout', { durable: true });
      await channel.assertQueue(queue, { durable: true });
      await channel.bindQueue(queue, exchange, '');
    });
    const amqp = destinationFor(server, { exchange });
    try {
      const requests = Array.from({ length: 30 }, (_, n) => requestOf({ n }));
      const outcomes = new Map<string, SendResult>();
      // the first third goes out normally; then the broker stops while the rest are being sent
      for (const request of requests.slice(0, 10))
        outcomes.set(request.idempotencyKey, await amqp.send(request, live()));
      const stopping = server.pause();
      for (const request of requests.slice(10))
        outcomes.set(request.idempotencyKey, await amqp.send(request, live()));
      await stopping;
      const down = await amqp.send(requests[29]!, live());
      expect(down).toMatchObject({ kind: 'retry', signal: 'failure', code: 'ECONNREFUSED' });
      expect(down.kind === 'retry' && down.error).toContain(
        `the broker at 127.0.0.1:${server.port} refused the connection`,
      );
      outcomes.set(requests[29]!.idempotencyKey, down);
      const failed = [...outcomes.values()].filter((r) => r.kind !== 'delivered');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((r) => r.kind === 'retry' && r.signal === 'failure')).toBe(true);

      await server.resume();
      for (const request of requests) {
        if (outcomes.get(request.idempotencyKey)?.kind === 'delivered') continue;
        const again = await amqp.send(request, live()); // the first send after the restart reconnects
        expect(again).toMatchObject({ kind: 'delivered', code: 'ack' });
      }
      const messages = await server.withChannel(vhost, (channel) => drain(channel, queue));
      const ids = new Set(messages.map((m) => m.properties.messageId as string));
      for (const request of requests) expect(ids.has(request.idempotencyKey)).toBe(true);
    } finally {
      await amqp.close();
    }
  }, 240_000);
});
