// The benchmark's reference: a raw mqtt.js / amqplib loop publishing the agent's messages with the same QoS, confirms and window.
import amqp from 'amqplib';
import { connectAsync } from 'mqtt';
import type { BrokerBenchMessage } from './brokers-records.js';

/** Runs `publish` for every message with at most `window` unacknowledged; resolves with records/s. */
async function windowed(
  messages: BrokerBenchMessage[],
  window: number,
  publish: (message: BrokerBenchMessage) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < messages.length) await publish(messages[next++]!);
  };
  await Promise.all(Array.from({ length: window }, lane));
  return messages.length / ((performance.now() - started) / 1000);
}

/** MQTT 5, QoS 1, the same user property and content type the destination sends; done on each PUBACK. */
export async function rawMqttRate(
  url: string,
  topic: string,
  messages: BrokerBenchMessage[],
  window: number,
) {
  const client = await connectAsync(url, {
    protocolVersion: 5,
    clientId: `raw-bench-${process.pid}`,
    clean: true,
  });
  try {
    return await windowed(messages, window, (m) =>
      client
        .publishAsync(topic, m.payload, {
          qos: 1,
          retain: false,
          properties: { contentType: m.contentType, userProperties: { 'idempotency-key': m.key } },
        })
        .then(() => undefined),
    );
  } finally {
    await client.endAsync();
  }
}

/** A confirm channel, persistent and mandatory, message-id = key; done on each broker ack. */
export async function rawAmqpRate(
  url: string,
  queue: string,
  messages: BrokerBenchMessage[],
  window: number,
) {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    return await windowed(
      messages,
      window,
      (m) =>
        new Promise<void>((resolve, reject) => {
          channel.publish(
            '',
            queue,
            m.payload,
            {
              messageId: m.key,
              contentType: m.contentType,
              timestamp: Math.floor(Date.now() / 1000),
              deliveryMode: 2,
              mandatory: true,
              headers: {},
            },
            (error: unknown) =>
              error
                ? reject(error instanceof Error ? error : new Error('the broker nacked a message'))
                : resolve(),
          );
        }),
    );
  } finally {
    await connection.close();
  }
}
