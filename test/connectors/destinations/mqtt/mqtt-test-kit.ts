// Shared pieces of the MQTT destination tests: records, building a destination from raw config, a real subscriber.
import { connectAsync, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import pino from 'pino';
import type { OutgoingRecord, OutgoingRequest } from '../../../../connectors/core/destination.js';
import { resolverOf } from '../../../../connectors/core/secret-ref.js';
import { mqttConnector } from '../../../../connectors/destinations/mqtt/connector.js';
import type { MqttDestinationConfig } from '../../../../connectors/destinations/mqtt/config.js';

export function record(id: number, payload: string, extra: Partial<OutgoingRecord> = {}): OutgoingRecord {
  return {
    id,
    idempotencyKey: `key-${id}`,
    businessKey: null,
    contentType: 'application/json',
    payload: Buffer.from(payload),
    attempts: 1,
    ...extra,
  };
}

export const single = (r: OutgoingRecord): OutgoingRequest => ({
  idempotencyKey: r.idempotencyKey,
  records: [r],
});

export const neverAborted = new AbortController().signal;

export function mqttConfig(raw: Record<string, unknown>): MqttDestinationConfig {
  return mqttConnector.schema.parse({ type: 'mqtt', retry: { baseMs: 20, capMs: 200 }, ...raw });
}

/** Builds the destination the way the engine does, with a logger bound to connection `connection`. */
export function buildDestination(
  raw: Record<string, unknown>,
  secrets: Record<string, string> = {},
  connection = 'orders',
) {
  return mqttConnector.create(mqttConfig(raw), {
    secrets: resolverOf(new Map(Object.entries(secrets))),
    logger: pino({ level: 'silent' }).child({ connection }),
  });
}

export interface Received {
  topic: string;
  payload: string;
  idempotencyKey: string | undefined;
  contentType: string | undefined;
  retain: boolean;
}

export interface Subscriber {
  client: MqttClient;
  messages: Received[];
  /** Waits until `count` messages arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A real MQTT 5 client subscribed to `filter` at QoS 2. */
export async function subscribe(
  url: string,
  filter: string,
  options: IClientOptions = {},
): Promise<Subscriber> {
  const client = await connectAsync(url, { protocolVersion: 5, reconnectPeriod: 200, ...options });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet: IPublishPacket) => {
    const key = packet.properties?.userProperties?.['idempotency-key'];
    messages.push({
      topic,
      payload: payload.toString(),
      idempotencyKey: Array.isArray(key) ? key.join(',') : key,
      contentType: packet.properties?.contentType,
      retain: packet.retain,
    });
  });
  await client.subscribeAsync(filter, { qos: 2 });
  return {
    client,
    messages,
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > until)
          throw new Error(
            `expected ${count} messages on ${filter}, got ${messages.length}: ${JSON.stringify(messages)}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return messages;
    },
    close: () => client.endAsync(true),
  };
}
