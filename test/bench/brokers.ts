// `npm run bench:brokers`: records/s through the agent to mosquitto and RabbitMQ vs a raw client loop, same run, same settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMosquitto, type Mosquitto } from '../support/mosquitto-server.js';
import { startRabbitMQ, type RabbitServer } from '../support/rabbitmq-server.js';
import { agentRate } from './brokers-agent.js';
import { rawAmqpRate, rawMqttRate } from './brokers-raw.js';
import { asMessages, benchChanges } from './brokers-records.js';
import { int, ratio } from './format.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 20_000);
const ORDERING_KEYS = 2000;
/** The destinations' batching: records leased per send, each still published as its own message. */
const BATCH = { maxRecords: 250, lingerMs: 0 };
/** mosquitto's default Receive Maximum (max_inflight_messages 20): the agent's in-flight cap and the raw loop's window. */
const MQTT_WINDOW = 20;
/** The AMQP destination's highest concurrency: confirms awaited at once, for the agent and the raw loop alike. */
const AMQP_WINDOW = 64;

if (!Number.isInteger(RECORDS) || RECORDS < 1000)
  throw new Error(`BENCH_RECORDS must be a whole number of at least 1000, got ${process.env.BENCH_RECORDS}`);

async function mqttFigures(dir: string, broker: Mosquitto): Promise<void> {
  const topic = 'bench/records';
  const agent = await agentRate(
    join(dir, 'mqtt-agent'),
    { type: 'mqtt', url: broker.url, topic, qos: 1, concurrency: MQTT_WINDOW, batch: BATCH },
    benchChanges('mqtt-agent', RECORDS, ORDERING_KEYS),
  );
  const raw = await rawMqttRate(
    broker.url,
    topic,
    asMessages(benchChanges('mqtt-raw', RECORDS, ORDERING_KEYS)),
    MQTT_WINDOW,
  );
  console.log(
    `mqtt: agent ${int(agent)} rec/s, raw mqtt.js ${int(raw)} rec/s (QoS 1, ${MQTT_WINDOW} in flight, ${RECORDS} records)`,
  );
  console.log(`figure mqtt-agent-rate = ${Math.round(agent)}`);
  console.log(`figure mqtt-raw-rate = ${Math.round(raw)}`);
  console.log(`figure mqtt-vs-raw = ${ratio(agent / raw)}`);
}

async function amqpFigures(dir: string, broker: RabbitServer): Promise<void> {
  const queue = 'bench';
  await broker.withChannel('/', (channel) => channel.assertQueue(queue, { durable: true }));
  const agent = await agentRate(
    join(dir, 'amqp-agent'),
    {
      type: 'amqp',
      url: broker.url(),
      username: broker.admin.username,
      password: { secretRef: 'rabbit-password' },
      exchange: '',
      routingKey: queue,
      concurrency: AMQP_WINDOW,
      batch: BATCH,
    },
    benchChanges('amqp-agent', RECORDS, ORDERING_KEYS),
    { 'rabbit-password': broker.admin.password },
  );
  await broker.withChannel('/', (channel) => channel.purgeQueue(queue));
  const url = `amqp://${broker.admin.username}:${broker.admin.password}@127.0.0.1:${broker.port}`;
  const raw = await rawAmqpRate(
    url,
    queue,
    asMessages(benchChanges('amqp-raw', RECORDS, ORDERING_KEYS)),
    AMQP_WINDOW,
  );
  await broker.withChannel('/', (channel) => channel.purgeQueue(queue));
  console.log(
    `amqp: agent ${int(agent)} rec/s, raw amqplib ${int(raw)} rec/s (persistent, mandatory, confirms, ${AMQP_WINDOW} awaiting, ${RECORDS} records)`,
  );
  console.log(`figure amqp-agent-rate = ${Math.round(agent)}`);
  console.log(`figure amqp-raw-rate = ${Math.round(raw)}`);
  console.log(`figure amqp-vs-raw = ${ratio(agent / raw)}`);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-brokers-'));
const mosquitto = await startMosquitto();
let rabbit: RabbitServer | undefined;
try {
  await mqttFigures(dir, mosquitto);
  rabbit = await startRabbitMQ();
  await amqpFigures(dir, rabbit);
} finally {
  await mosquitto.stop();
  await rabbit?.stop();
  rmSync(dir, { recursive: true, force: true });
}
