// Chaos: 20,000 records through the real agent process, SIGKILLed at random moments, while the API fails 20 % of calls.
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/agent-process.js';
import { startIngestServer, type IngestServer } from '../support/ingest.js';
import { seededRandom } from '../support/seeded-random.js';
import { AgentRunner, errorLogLines, writeChaosConfig, type BatchFormat } from './chaos-agent.js';
import { chaosFaults } from './chaos-faults.js';
import { checkDeliveries, enqueueRange, planRecords, readOutboxFigures } from './chaos-records.js';

const CONNECTION = 'chaos';
const RECORDS = 20_000;
const ORDERING_KEYS = 400;
const KILLS = 10;
const FAULT_RATE = 0.2;
const TIMEOUTS = { connectMs: 500, responseMs: 300, totalMs: 600 };
const RETRY = { baseMs: 50, capMs: 1000 };
const formats: BatchFormat[] = ['json-array', 'ndjson'];
const SEED = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : randomInt(2 ** 31);
/** The seed picks the batch format unless CHAOS_BATCH_FORMAT names one. */
const FORMAT = (process.env.CHAOS_BATCH_FORMAT ?? formats[SEED % formats.length]) as BatchFormat;
const replay = `replay: CHAOS_SEED=${SEED} CHAOS_BATCH_FORMAT=${FORMAT} npx vitest run test/chaos`;

let dir = '';
let ingest: IngestServer | undefined;
let runner: AgentRunner | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'delivery-chaos-'));
});

afterAll(async () => {
  await runner?.dispose();
  await ingest?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Where capture phase `p` of `phases` ends: a bigger first phase, then equal slices. */
function phaseEnd(p: number, phases: number): number {
  const first = Math.floor(RECORDS * 0.3);
  return p === 0 ? first : first + Math.round(((RECORDS - first) * p) / (phases - 1));
}

describe('delivery under chaos', () => {
  it(`applies ${RECORDS} records exactly once, in order per key, across ${KILLS} SIGKILLs and ${FAULT_RATE * 100} % failing calls`, async () => {
    expect(formats, `CHAOS_BATCH_FORMAT must be one of ${formats.join(', ')}`).toContain(FORMAT);
    const started = performance.now();
    console.log(`[delivery-chaos] seed=${SEED} format=${FORMAT} (${replay})`);
    const random = seededRandom(SEED);
    const plan = planRecords(RECORDS, ORDERING_KEYS, random);
    // Its own stream: how many requests there are depends on timing, the records and the kill schedule do not.
    const faults = chaosFaults(FAULT_RATE, seededRandom(SEED ^ 0x5eed5eed), TIMEOUTS);
    ingest = await startIngestServer({ faults: faults.plan });
    const dataDir = join(dir, 'data');
    const inbox = join(dir, 'inbox');
    mkdirSync(dataDir);
    mkdirSync(inbox);
    const configFile = join(dir, 'config.json');
    writeChaosConfig(configFile, {
      connection: CONNECTION,
      inbox,
      url: ingest.url,
      format: FORMAT,
      maxRecords: 100,
      concurrency: 4,
      timeouts: TIMEOUTS,
      retry: RETRY,
    });
    const agent = new AgentRunner(configFile, dataDir);
    runner = agent;

    // Capture goes on between kills: phase p is enqueued while the agent is down, then the agent runs and dies.
    const phases = KILLS + 1;
    enqueueRange(dataDir, CONNECTION, plan, 0, phaseEnd(0, phases));
    for (let p = 1; p < phases; p += 1) {
      await agent.start();
      await sleep(Math.floor(random() * 1500));
      await agent.kill();
      enqueueRange(dataDir, CONNECTION, plan, phaseEnd(p - 1, phases), phaseEnd(p, phases));
    }
    await agent.start();
    await waitFor(
      () => (ingest?.stats().items ?? 0) >= RECORDS && agent.status()?.outbox.pending === 0,
      90_000,
      `all ${RECORDS} records applied and settled (${replay}); server: ${JSON.stringify(ingest.stats())}`,
    );
    const stopped = await agent.stop();
    expect(stopped.output, stopped.output).toContain('stopped cleanly');
    expect(stopped.code).toBe(0);

    const check = checkDeliveries(ingest.appliedItems(), plan);
    expect(check.appliedTwice.slice(0, 10), `applied more than once (${replay})`).toEqual([]);
    expect(check.missing.slice(0, 10), `never applied (${replay})`).toEqual([]);
    expect(check.foreign).toBe(0);
    expect(check.outOfOrder.slice(0, 5), `out of capture order (${replay})`).toEqual([]);
    const errors = errorLogLines(dataDir);
    expect(errors.slice(0, 5), `agent errors in ${dataDir}/logs (${replay})`).toEqual([]);
    const outbox = readOutboxFigures(dataDir);
    expect(outbox).toMatchObject({ total: RECORDS, pending: 0, dead: 0, delivered: RECORDS });
    const stats = ingest.stats();
    expect(agent.kills).toBeGreaterThanOrEqual(KILLS);
    expect(stats.faults).toBeGreaterThan(0);
    expect(stats.items).toBe(RECORDS);

    const wallS = ((performance.now() - started) / 1000).toFixed(1);
    const byKind = [...faults.planned].map(([name, n]) => `${name}:${n}`).join(',');
    console.log(
      `[delivery-chaos] seed=${SEED} format=${FORMAT} records=${RECORDS} delivered=${outbox.delivered} ` +
        `requests=${stats.requests} applied_requests=${stats.applied} server_duplicates=${stats.duplicates} ` +
        `in_progress_409=${stats.inProgress} retries=${outbox.retries} max_attempts=${outbox.maxAttempts} ` +
        `kills=${agent.kills} faults=${stats.faults} wall=${wallS}s faults_by_kind=${byKind}`,
    );
  }, 115_000);
});
