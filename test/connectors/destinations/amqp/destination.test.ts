// The AMQP destination against a real RabbitMQ: confirmed delivery, templates, returns, channel errors, refusals.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AmqpDestination } from '../../../../connectors/destinations/amqp/destination.js';
import { startRabbitMQ, type RabbitServer } from '../../../support/rabbitmq-server.js';
import { brokerOptions, destinationFor, drain, live, requestOf, unique, vhost } from './broker-fixture.js';

let server: RabbitServer;
beforeAll(async () => {
  server = await startRabbitMQ(brokerOptions);
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

const opened: AmqpDestination[] = [];
afterEach(async () => {
  for (const destination of opened.splice(0)) await destination.close();
});
const destination = (fields: Record<string, unknown>) => {
  const built = destinationFor(server, fields);
  opened.push(built);
  return built;
};

/** A direct exchange with one durable queue bound by `bindingKey`. */
async function exchangeWithQueue(type: string, bindingKey: string) {
  const exchange = unique('ex');
  const queue = unique('q');
  await server.withChannel(vhost, async (channel) => {
    await channel.assertExchange(exchange, type, { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, exchange, bindingKey);
  });
  return { exchange, queue };
}

const messagesIn = (queue: string) => server.withChannel(vhost, (channel) => drain(channel, queue));

describe('AMQP destination on a real broker', () => {
  it('counts a record delivered once the broker acks it, and the consumer sees message-id, persistence and headers', async () => {
    const { exchange, queue } = await exchangeWithQueue('direct', 'orders');
    const amqp = destination({ exchange, routingKey: 'orders', headers: { source: 'erp' } });
    const requests = [requestOf({ n: 1 }), requestOf({ n: 2 }), requestOf({ n: 3 })];
    for (const request of requests) {
      const result = await amqp.send(request, live());
      expect(result).toMatchObject({
        kind: 'delivered',
        code: 'ack',
        request: { operation: 'publish', records: 1 },
      });
    }
    const messages = await messagesIn(queue);
    expect(messages.map((m) => m.properties.messageId as string)).toEqual(
      requests.map((r) => r.idempotencyKey),
    );
    for (const [i, message] of messages.entries()) {
      expect(message.properties.deliveryMode).toBe(2);
      expect(message.properties.contentType).toBe('application/json');
      expect(message.properties.headers).toMatchObject({ source: 'erp' });
      expect(typeof message.properties.timestamp).toBe('number');
      expect(message.content.toString()).toBe(JSON.stringify({ n: i + 1 }));
    }
    expect(amqp.describe()).toEqual({
      broker: `127.0.0.1:${server.port}`,
      vhost,
      exchange,
      tls: false,
      confirms: true,
    });
    expect(JSON.stringify(amqp.describe()) + amqp.label).not.toContain('admin-test-password');
    expect(amqp.label).toBe(`AMQP 127.0.0.1:${server.port}/${vhost} exchange ${exchange}`);
  });

  it('publishes many records at once on one channel and each gets its own confirm', async () => {
    const { exchange, queue } = await exchangeWithQueue('fanout', '');
    const amqp = destination({ exchange, persistent: false });
    const requests = Array.from({ length: 25 }, (_, n) => requestOf({ n }));
    const results = await Promise.all(requests.map((request) => amqp.send(request, live())));
    expect(results.every((r) => r.kind === 'delivered')).toBe(true);
    const messages = await messagesIn(queue);
    expect(new Set(messages.map((m) => m.properties.messageId as string))).toEqual(
      new Set(requests.map((r) => r.idempotencyKey)),
    );
    expect(messages.every((m) => m.properties.deliveryMode === 1)).toBe(true);
  });

  it('fills exchange and routing key templates from the record and its business key', async () => {
    const eu = await exchangeWithQueue('topic', 'orders.eu.#');
    const usQueue = unique('q');
    await server.withChannel(vhost, async (channel) => {
      await channel.assertQueue(usQueue, { durable: true });
      await channel.bindQueue(usQueue, eu.exchange, 'orders.us.#');
    });
    const amqp = destination({
      exchange: '{{record.target}}',
      routingKey: 'orders.{{record.region}}.{{businessKey}}',
    });
    const toEu = requestOf({ target: eu.exchange, region: 'eu' }, 'A-1');
    const toUs = requestOf({ target: eu.exchange, region: 'us' }, 'B-2');
    expect((await amqp.send(toEu, live())).kind).toBe('delivered');
    expect((await amqp.send(toUs, live())).kind).toBe('delivered');
    const [inEu] = await messagesIn(eu.queue);
    const [inUs] = await messagesIn(usQueue);
    expect(inEu?.fields.routingKey).toBe('orders.eu.A-1');
    expect(inEu?.properties.messageId).toBe(toEu.idempotencyKey);
    expect(inUs?.fields.routingKey).toBe('orders.us.B-2');
  });

  it('dead-letters a record whose routing key would be over 255 bytes or lacks a field, naming the setting', async () => {
    const { exchange } = await exchangeWithQueue('direct', 'x');
    const amqp = destination({ exchange, routingKey: '{{record.key}}' });
    const long = await amqp.send(requestOf({ key: 'k'.repeat(300) }), live());
    expect(long).toMatchObject({ kind: 'dead', code: 'unusable-name' });
    expect(long.kind === 'dead' && long.error).toContain('routingKey renders to 300 bytes');
    expect(long.kind === 'dead' && long.error).toContain('Fix: change destination.routingKey');
    const missing = await amqp.send(requestOf({ other: 1 }), live());
    expect(missing.kind === 'dead' && missing.error).toContain('routingKey needs {{record.key}}');
  });

  it('dead-letters a mandatory message no queue is bound for, and delivers it silently when mandatory is off', async () => {
    const { exchange } = await exchangeWithQueue('direct', 'bound');
    const strict = destination({ exchange, routingKey: 'nobody-listens' });
    const result = await strict.send(requestOf({ n: 1 }), live());
    expect(result).toMatchObject({ kind: 'dead', code: 'returned', response: { code: '312 NO_ROUTE' } });
    expect(result.kind === 'dead' && result.error).toBe(
      `no queue is bound to exchange ${exchange} for routing key nobody-listens; fix: bind a queue or correct the routing key, then replay`,
    );
    const again = await strict.send(requestOf({ n: 2 }), live());
    expect(again.kind).toBe('dead'); // still no route: every such message is returned
    const lax = destination({ exchange, routingKey: 'nobody-listens', mandatory: false });
    expect(await lax.send(requestOf({ n: 3 }), live())).toMatchObject({ kind: 'delivered', code: 'ack' });
  });

  it('dead-letters a record for a missing exchange with the broker text, and reopens the channel for the next one', async () => {
    const { exchange, queue } = await exchangeWithQueue('direct', 'k');
    const amqp = destination({ exchange: '{{record.exchange}}', routingKey: 'k' });
    const missing = unique('missing');
    const result = await amqp.send(requestOf({ exchange: missing }), live());
    expect(result).toMatchObject({ kind: 'dead', code: '404 NOT_FOUND' });
    expect(result.kind === 'dead' && result.error).toContain(
      `NOT_FOUND - no exchange '${missing}' in vhost '${vhost}'`,
    );
    expect(result.kind === 'dead' && result.error).toContain(
      'fix: declare the exchange on the broker or correct destination.exchange',
    );
    // Without the broker's words (what outbox encryption keeps in clear): the problem and the fix only.
    expect(result.kind === 'dead' && result.errorWithoutAnswer).toBe(
      `the broker has no exchange ${JSON.stringify(missing)}; fix: declare the exchange on the broker or correct destination.exchange, then replay`,
    );
    const next = await amqp.send(requestOf({ exchange }), live());
    expect(next).toMatchObject({ kind: 'delivered', code: 'ack' });
    expect(await messagesIn(queue)).toHaveLength(1);
  });

  it('when one publish closes the shared channel, only that record is dead; the others are delivered or retried', async () => {
    const { exchange } = await exchangeWithQueue('fanout', '');
    const amqp = destination({ exchange: '{{record.exchange}}' });
    const missing = unique('missing');
    const good = Array.from({ length: 10 }, (_, n) => requestOf({ exchange, n }));
    const bad = requestOf({ exchange: missing });
    const results = await Promise.all(
      [...good.slice(0, 5), bad, ...good.slice(5)].map((r) => amqp.send(r, live())),
    );
    const badResult = results[5];
    expect(badResult).toMatchObject({ kind: 'dead', code: '404 NOT_FOUND' });
    const others = results.filter((_, i) => i !== 5);
    expect(
      others.every((r) => r.kind === 'delivered' || (r.kind === 'retry' && r.code === 'channel-closed')),
    ).toBe(true);
  });

  it('dead-letters a record the user may not publish (ACCESS_REFUSED) with the broker text and a fix', async () => {
    const { exchange } = await exchangeWithQueue('direct', 'k');
    const amqp = destination({
      exchange,
      routingKey: 'k',
      username: 'reader',
      password: { secretRef: 'rabbit-reader' },
    });
    const result = await amqp.send(requestOf({ n: 1 }), live());
    expect(result).toMatchObject({ kind: 'dead', code: '403 ACCESS_REFUSED' });
    expect(result.kind === 'dead' && result.error).toContain(
      `ACCESS_REFUSED - access to exchange '${exchange}' in vhost '${vhost}' refused for user 'reader'`,
    );
    expect(result.kind === 'dead' && result.error).toContain('fix: grant the user write permission');
  });

  it('retries (failure) a message the broker nacks, e.g. a full queue that rejects publishes', async () => {
    const queue = unique('full');
    await server.withChannel(vhost, (channel) =>
      channel.assertQueue(queue, { arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } }),
    );
    const amqp = destination({ exchange: '', routingKey: queue });
    expect(await amqp.send(requestOf({ n: 1 }), live())).toMatchObject({ kind: 'delivered', code: 'ack' });
    const refused = await amqp.send(requestOf({ n: 2 }), live());
    expect(refused).toMatchObject({ kind: 'retry', signal: 'failure', code: 'nack' });
    expect(refused.kind === 'retry' && refused.error).toContain('the broker nacked the message');
    await server.withChannel(vhost, (channel) => channel.purgeQueue(queue));
    expect(await amqp.send(requestOf({ n: 3 }), live())).toMatchObject({ kind: 'delivered' }); // same channel goes on
  });

  it('retries (failure) when the broker refuses the login, naming the user and how to fix it', async () => {
    const amqp = destination({ exchange: '', routingKey: 'q', password: { secretRef: 'rabbit-wrong' } });
    const result = await amqp.send(requestOf({ n: 1 }), live());
    expect(result).toMatchObject({ kind: 'retry', signal: 'failure', code: '403 ACCESS_REFUSED' });
    expect(result.kind === 'retry' && result.error).toContain('the broker refused the login of user admin');
    expect(result.kind === 'retry' && result.error).toContain(
      'check username and the password in the secret store',
    );
  });

  it('gives up at once on an aborted send, saying a resend is safe', async () => {
    const amqp = destination({ exchange: '', routingKey: 'q' });
    const controller = new AbortController();
    controller.abort();
    const result = await amqp.send(requestOf({ n: 1 }), controller.signal);
    expect(result).toMatchObject({ kind: 'retry', code: 'aborted' });
    expect(result.kind === 'retry' && result.error).toContain('same message-id');
  });

  it('with batch, publishes every member under its own message-id and dead-letters only the unroutable one', async () => {
    const { exchange, queue } = await exchangeWithQueue('direct', 'bound');
    const amqp = destination({ exchange, routingKey: '{{record.route}}', batch: { maxRecords: 10 } });
    expect(amqp.batching).toEqual({ maxRecords: 10, maxBytes: 1024 * 1024, lingerMs: 0 });
    const [a, lost, b] = [
      requestOf({ route: 'bound' }),
      requestOf({ route: 'nowhere' }),
      requestOf({ route: 'bound' }),
    ];
    const records = [a, lost, b].map((r) => r.records[0]!);
    const result = await amqp.send({ idempotencyKey: 'batch-1', records }, live());
    expect(result).toMatchObject({
      kind: 'delivered',
      code: 'ack',
      rejected: [{ id: records[1]!.id, error: expect.stringContaining('no queue is bound') as unknown }],
    });
    // A batch of one (the dispatcher's batch key on the request) still goes out under the record's own key.
    const alone = requestOf({ route: 'bound' });
    const one = await amqp.send({ idempotencyKey: 'batch-2', records: alone.records }, live());
    expect(one).toMatchObject({ kind: 'delivered', code: 'ack' });
    const received = await messagesIn(queue);
    expect(received.map((m) => m.properties.messageId as unknown).sort()).toEqual(
      [a.idempotencyKey, b.idempotencyKey, alone.idempotencyKey].sort(),
    );
  });
});
