// Real consumers for the broker chaos tests: an MQTT 5 subscriber with a persistent session, and an AMQP queue consumer that reconnects.
import type amqp from 'amqplib';
import { connectAsync, type IPublishPacket } from 'mqtt';

/** One message as the consumer got it, in arrival order. */
export interface Consumed {
  idempotencyKey: string | undefined;
  body: string;
}

export interface ChaosConsumer {
  messages: Consumed[];
  /** Distinct idempotency keys seen so far. */
  distinctKeys(): number;
  close(): Promise<void>;
}

function collector() {
  const messages: Consumed[] = [];
  const keys = new Set<string>();
  const add = (message: Consumed) => {
    messages.push(message);
    if (message.idempotencyKey !== undefined) keys.add(message.idempotencyKey);
  };
  return { messages, add, distinctKeys: () => keys.size };
}

/** Subscribes to `filter` at QoS 1 under a fixed client id without clean start, so a broker restart loses nothing. */
export async function mqttConsumer(url: string, filter: string): Promise<ChaosConsumer> {
  const { messages, add, distinctKeys } = collector();
  const client = await connectAsync(url, {
    protocolVersion: 5,
    clientId: `chaos-consumer-${process.pid}`,
    clean: false,
    properties: { sessionExpiryInterval: 3600 },
    reconnectPeriod: 100,
  });
  client.on('message', (_topic, payload, packet: IPublishPacket) => {
    const key = packet.properties?.userProperties?.['idempotency-key'];
    add({ idempotencyKey: Array.isArray(key) ? key[0] : key, body: payload.toString() });
  });
  client.on('error', () => undefined); // reconnects by itself while the broker restarts
  await client.subscribeAsync(filter, { qos: 1 });
  return { messages, distinctKeys, close: () => client.endAsync(true) };
}

/**
 * Declares the durable `queue` and consumes it with manual acks; when the broker goes away it connects again every
 * 200 ms until close().
 */
export async function amqpConsumer(
  connect: () => Promise<amqp.ChannelModel>,
  queue: string,
): Promise<ChaosConsumer> {
  const { messages, add, distinctKeys } = collector();
  let closed = false;
  let current: amqp.ChannelModel | undefined;
  const attach = async (): Promise<void> => {
    const connection = await connect();
    current = connection;
    const again = () => {
      if (current === connection) current = undefined;
      if (!closed) setTimeout(() => void reattach(), 200);
    };
    connection.on('error', () => undefined);
    connection.once('close', again);
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.assertQueue(queue, { durable: true });
    await channel.prefetch(1000);
    await channel.consume(queue, (message) => {
      if (!message) return;
      const id: unknown = message.properties.messageId;
      add({ idempotencyKey: typeof id === 'string' ? id : undefined, body: message.content.toString() });
      channel.ack(message);
    });
  };
  const reattach = async (): Promise<void> => {
    if (closed) return;
    try {
      await attach();
    } catch {
      if (!closed) setTimeout(() => void reattach(), 200);
    }
  };
  await attach();
  return {
    messages,
    distinctKeys,
    async close() {
      closed = true;
      await current?.close().catch(() => undefined);
    },
  };
}
