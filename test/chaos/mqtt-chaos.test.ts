// Chaos, MQTT: 10,000 records through the real agent to a real mosquitto restarted 3 times, the agent SIGKILLed 5 times.
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../support/mosquitto-server.js';
import { runBrokerChaos } from './broker-chaos-run.js';
import { mqttConsumer, type ChaosConsumer } from './broker-consumers.js';
import type { AgentRunner } from './chaos-agent.js';

const RECORDS = 10_000;
const SEED = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : randomInt(2 ** 31);
const replay = `replay: CHAOS_SEED=${SEED} npx vitest run test/chaos/mqtt-chaos.test.ts`;
const dir = mkdtempSync(join(tmpdir(), 'mqtt-chaos-'));

let broker: Mosquitto | undefined;
let consumer: ChaosConsumer | undefined;
let runner: AgentRunner | undefined;

afterAll(async () => {
  await runner?.dispose();
  await consumer?.close();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('MQTT delivery under chaos', () => {
  it(`publishes ${RECORDS} records at least once, in order per key, across 5 SIGKILLs and 3 broker restarts`, async () => {
    console.log(`[mqtt-chaos] seed=${SEED} (${replay})`);
    // Persistent: the broker keeps the consumer's session and its queued messages over each restart.
    broker = await startMosquitto({ persistent: true });
    consumer = await mqttConsumer(broker.url, 'chaos/#');
    const result = await runBrokerChaos({
      dir,
      seed: SEED,
      records: RECORDS,
      orderingKeys: 200,
      kills: 5,
      restarts: 3,
      destination: {
        type: 'mqtt',
        url: broker.url,
        topic: 'chaos/{{record.orderingKey}}',
        qos: 1,
        concurrency: 20,
        connectTimeoutMs: 2000,
        publishTimeoutMs: 3000,
        leaseMs: 15_000,
        // Batches of heads, each member its own message: a retried batch resends members the broker already had.
        batch: { maxRecords: 50 },
      },
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
      `[mqtt-chaos] seed=${SEED} records=${RECORDS} consumed=${result.consumed} ` +
        `duplicates_absorbed_by_key=${result.check.duplicates} retries=${result.outbox.retries} ` +
        `kills=${result.kills} broker_restarts=${result.restarts} wall=${result.wallS}s`,
    );
  }, 150_000);
});
