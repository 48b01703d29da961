// Chaos, AMQP: 10,000 records through the real agent to a real RabbitMQ restarted 3 times, the agent SIGKILLed 5 times.
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRabbitMQ, type RabbitServer } from '../support/rabbitmq-server.js';
import { runBrokerChaos } from './broker-chaos-run.js';
import { amqpConsumer, type ChaosConsumer } from './broker-consumers.js';
import type { AgentRunner } from './chaos-agent.js';

const RECORDS = 10_000;
const SEED = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : randomInt(2 ** 31);
const replay = `replay: CHAOS_SEED=${SEED} npx vitest run test/chaos/amqp-chaos.test.ts`;
const dir = mkdtempSync(join(tmpdir(), 'amqp-chaos-'));

let broker: RabbitServer | undefined;
let consumer: ChaosConsumer | undefined;
let runner: AgentRunner | undefined;

afterAll(async () => {
  await runner?.dispose();
  await consumer?.close();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('AMQP delivery under chaos', () => {
  it(`publishes ${RECORDS} records with confirms at least once, in order per key, across 5 SIGKILLs and 3 broker restarts`, async () => {
    console.log(`[amqp-chaos] seed=${SEED} (${replay})`);
    broker = await startRabbitMQ();
    const server = broker;
    // A durable queue on the default exchange: persistent messages it confirmed survive each restart.
    consumer = await amqpConsumer(() => server.connect(), 'chaos');
    const result = await runBrokerChaos({
      dir,
      seed: SEED,
      records: RECORDS,
      orderingKeys: 200,
      kills: 5,
      restarts: 3,
      destination: {
        type: 'amqp',
        url: broker.url(),
        username: broker.admin.username,
        password: { secretRef: 'rabbit-password' },
        exchange: '',
        routingKey: 'chaos',
        concurrency: 32,
        connectTimeoutMs: 2000,
        // Batches of heads, each member its own message: a retried batch resends members the broker already had.
        batch: { maxRecords: 50 },
      },
      secrets: { 'rabbit-password': broker.admin.password },
      broker,
      consumer,
      onRunner: (r) => (runner = r),
    });
    expect(result.stopped.output, result.stopped.output).toContain('stopped cleanly');
    expect(result.check.missing.slice(0, 10), `never consumed (${replay})`).toEqual([]);
    expect(result.check.foreign, replay).toBe(0);
    expect(result.check.outOfOrder.slice(0, 5), `out of capture order (${replay})`).toEqual([]);
    expect(result.outbox).toMatchObject({ total: RECORDS, pending: 0, dead: 0, delivered: RECORDS });
    expect(result.kills).toBe(5);
    expect(result.restarts).toBe(3);
    expect(result.errors.slice(0, 5), replay).toEqual([]);
    console.log(
      `[amqp-chaos] seed=${SEED} records=${RECORDS} consumed=${result.consumed} ` +
        `duplicates_absorbed_by_key=${result.check.duplicates} retries=${result.outbox.retries} ` +
        `kills=${result.kills} broker_restarts=${result.restarts} wall=${result.wallS}s`,
    );
  }, 240_000);
});
