// Shared pieces of the AMQP destination tests: the broker's users, a destination built from a config, records, a reader.
import type { Channel, GetMessage } from 'amqplib';
import { resolverOf } from '../../../../connectors/core/secret-ref.js';
import type { OutgoingRequest } from '../../../../connectors/core/destination.js';
import { amqpDestinationSchema } from '../../../../connectors/destinations/amqp/config.js';
import { createAmqpDestination } from '../../../../connectors/destinations/amqp/create-destination.js';
import type { AmqpDestination } from '../../../../connectors/destinations/amqp/destination.js';
import type { RabbitOptions, RabbitServer } from '../../../support/rabbitmq-server.js';

export const vhost = 'orders';
/** May read and configure in the orders vhost but write nowhere. */
export const reader = { name: 'reader', password: 'reader-password' };
/** Has no permission on the orders vhost at all. */
export const stranger = { name: 'stranger', password: 'stranger-password' };

export const brokerOptions: RabbitOptions = {
  vhosts: [vhost, 'other'],
  users: [
    { ...reader, permissions: { [vhost]: { configure: '.*', write: '', read: '.*' } } },
    { ...stranger, permissions: { other: { configure: '.*', write: '.*', read: '.*' } } },
  ],
};

/** Every secret the tests reference. */
export const secrets = resolverOf(
  new Map([
    ['rabbit-admin', 'admin-test-password'],
    ['rabbit-reader', reader.password],
    ['rabbit-wrong', 'not-the-password'],
    ['rabbit-stranger', stranger.password],
  ]),
);

/** A destination as admin on the orders vhost, with `fields` over those defaults. */
export function destinationFor(server: RabbitServer, fields: Record<string, unknown>): AmqpDestination {
  const config = amqpDestinationSchema.parse({
    type: 'amqp',
    url: server.url(vhost),
    username: 'admin',
    password: { secretRef: 'rabbit-admin' },
    ...fields,
  });
  return createAmqpDestination(config, secrets);
}

let nextId = 1;

/** One record's request with a fresh key; `payload` is sent as JSON. */
export function requestOf(payload: unknown, businessKey: string | null = null): OutgoingRequest {
  const id = nextId++;
  const idempotencyKey = `key-${id}-${Math.random().toString(36).slice(2, 10)}`;
  return {
    idempotencyKey,
    records: [
      {
        id,
        idempotencyKey,
        businessKey,
        contentType: 'application/json',
        payload: Buffer.from(JSON.stringify(payload)),
        attempts: 1,
      },
    ],
  };
}

/** Every message now in `queue`, taken off it. */
export async function drain(channel: Channel, queue: string): Promise<GetMessage[]> {
  const messages: GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return messages;
    messages.push(message);
  }
}

let nextName = 1;

/** A name no other test uses. */
export const unique = (prefix: string) => `${prefix}-${nextName++}-${Date.now().toString(36)}`;

export const live = () => new AbortController().signal;
