// The broker chaos run: records captured in phases while the real agent is SIGKILLed and the broker restarted under it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSecretStore } from '../../main/secrets/open-secret-store.js';
import { waitFor } from '../support/agent-process.js';
import { fileSecrets } from '../support/file-secrets.js';
import { seededRandom } from '../support/seeded-random.js';
import { checkAtLeastOnce, type AtLeastOnceCheck } from './broker-chaos-check.js';
import type { ChaosConsumer } from './broker-consumers.js';
import { AgentRunner, errorLogLines } from './chaos-agent.js';
import { enqueueRange, planRecords, readOutboxFigures, type OutboxFigures } from './chaos-records.js';

export interface RestartableBroker {
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export interface BrokerChaosPlan {
  dir: string;
  seed: number;
  records: number;
  orderingKeys: number;
  kills: number;
  /** Broker restarts, each while the agent runs, spread over the kill phases. */
  restarts: number;
  /** The connection's destination block (its broker, topic or routing key, QoS or confirms, concurrency). */
  destination: Record<string, unknown>;
  /** Secrets the destination references, stored in the agent's encrypted-file store. */
  secrets?: Record<string, string>;
  broker: RestartableBroker;
  consumer: ChaosConsumer;
  /** For the runner's afterAll. */
  onRunner(runner: AgentRunner): void;
}

export interface BrokerChaosResult {
  check: AtLeastOnceCheck;
  outbox: OutboxFigures;
  kills: number;
  restarts: number;
  consumed: number;
  errors: string[];
  stopped: { code: number | null; output: string };
  wallS: string;
}

const CONNECTION = 'chaos';

async function writeConfig(plan: BrokerChaosPlan, dataDir: string, inbox: string): Promise<string> {
  const secrets = fileSecrets(plan.dir);
  const store = await openSecretStore(secrets, dataDir);
  for (const [name, value] of Object.entries(plan.secrets ?? {})) await store.set(name, value);
  const file = join(plan.dir, 'config.json');
  const config = {
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0 },
    logging: { level: 'warn' },
    secrets,
    connections: [
      {
        id: CONNECTION,
        source: { type: 'folder', path: inbox, quietPeriodMs: 100 },
        destination: { leaseMs: 5000, retry: { baseMs: 50, capMs: 500 }, ...plan.destination },
      },
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Where capture phase `p` of `phases` ends: a bigger first phase, then equal slices. */
function phaseEnd(records: number, p: number, phases: number): number {
  const first = Math.floor(records * 0.3);
  return p === 0 ? first : first + Math.round(((records - first) * p) / (phases - 1));
}

export async function runBrokerChaos(plan: BrokerChaosPlan): Promise<BrokerChaosResult> {
  const started = performance.now();
  const random = seededRandom(plan.seed);
  const records = planRecords(plan.records, plan.orderingKeys, random);
  const dataDir = join(plan.dir, 'data');
  const inbox = join(plan.dir, 'inbox');
  mkdirSync(dataDir);
  mkdirSync(inbox);
  const configFile = await writeConfig(plan, dataDir, inbox);
  const agent = new AgentRunner(configFile, dataDir);
  plan.onRunner(agent);

  const phases = plan.kills + 1;
  // Restarts go to evenly spaced kill phases (1-based), e.g. 3 of 5 → phases 1, 3, 5.
  const restartIn = new Set(
    Array.from(
      { length: plan.restarts },
      (_, i) => 1 + Math.round((i * (plan.kills - 1)) / Math.max(1, plan.restarts - 1)),
    ),
  );
  let restarts = 0;
  enqueueRange(dataDir, CONNECTION, records, 0, phaseEnd(plan.records, 0, phases));
  for (let p = 1; p < phases; p += 1) {
    await agent.start();
    await sleep(Math.floor(random() * 800));
    if (restartIn.has(p)) {
      await plan.broker.pause();
      await sleep(Math.floor(random() * 300));
      await plan.broker.resume();
      restarts += 1;
      await sleep(Math.floor(random() * 800));
    }
    await agent.kill();
    enqueueRange(
      dataDir,
      CONNECTION,
      records,
      phaseEnd(plan.records, p - 1, phases),
      phaseEnd(plan.records, p, phases),
    );
  }
  await agent.start();
  await waitFor(
    () => plan.consumer.distinctKeys() >= plan.records && agent.status()?.outbox.pending === 0,
    90_000,
    `every one of ${plan.records} keys consumed and the outbox drained`,
  );
  const stopped = await agent.stop();
  return {
    check: checkAtLeastOnce(plan.consumer.messages, records),
    outbox: readOutboxFigures(dataDir),
    kills: agent.kills,
    restarts,
    consumed: plan.consumer.messages.length,
    errors: errorLogLines(dataDir),
    stopped,
    wallS: ((performance.now() - started) / 1000).toFixed(1),
  };
}
