// Phases 1 and 2: records/s through the agent's engine (batches), then a raw got loop posting the very same batches.
import { Agent } from 'node:http';
import got from 'got';
import { batchIdempotencyKey } from '../../connectors/core/batch-key.js';
import type { OutgoingRecord } from '../../connectors/core/destination.js';
import { encodeBody } from '../../connectors/destinations/http/request-body.js';
import type { Outbox } from '../../main/outbox/outbox.js';
import type { DeliveryBenchOptions } from './delivery-options.js';
import { BENCH_CONNECTION, RECORD_BYTES, orderingKeysFor, seedOutbox } from './delivery-records.js';
import { openBenchOutbox, startBenchEngine, waitUntilDrained } from './delivery-engine.js';
import { BenchServer } from './delivery-server.js';
import type { ServerSummary } from './delivery-server-process.js';
import { expectEqual } from './outbox-driver.js';
import { nowMs } from './measure.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TempArea } from './temp-area.js';

export interface RunFigures {
  records: number;
  requests: number;
  ms: number;
  rate: number;
  /** CPU time of this process (user + system) per 1,000 records: the client's cost (the server runs elsewhere). */
  cpuMsPer1k: number;
  server: ServerSummary;
}

export interface ThroughputFigures {
  /** The same records leased (batch) and settled delivered through the Outbox API alone: the agent's ceiling. */
  outboxOnly: { rate: number; ms: number; leases: number };
  agent: RunFigures;
  /** Engine.start (outbox open + quick_check, connections), inside the agent's timed window. */
  agentStartMs: number;
  /** perf_hooks.monitorEventLoopDelay p99 while the engine drained at full speed. */
  loopDelayP99Ms: number;
  /** The same from before Engine.start: open and start-up included. */
  loopDelayWithStartP99Ms: number;
  raw: RunFigures;
  ratio: number;
  seedMs: number;
  batchSizes: { min: number; max: number; mean: number };
}

export interface Batch {
  key: string;
  records: OutgoingRecord[];
}

/** One request per batch, in id order of the first member; the agent persisted each record's batch key. */
function batchesSent(outbox: Outbox): Batch[] {
  const rows = outbox.db
    .prepare(
      `SELECT id, idempotency_key, business_key, content_type, payload, batch_key FROM records LEFT JOIN record_payloads ON record_id = id
       WHERE connection = ? ORDER BY id`,
    )
    .all(BENCH_CONNECTION) as {
    id: number;
    idempotency_key: string;
    business_key: string | null;
    content_type: string;
    payload: Buffer;
    batch_key: string | null;
  }[];
  const batches = new Map<string, Batch>();
  for (const row of rows) {
    if (!row.batch_key) throw new Error(`record ${row.id} was delivered without a batch key`);
    const batch = batches.get(row.batch_key) ?? { key: row.batch_key, records: [] };
    batch.records.push({
      id: row.id,
      idempotencyKey: row.idempotency_key,
      businessKey: row.business_key,
      contentType: row.content_type,
      payload: row.payload,
      attempts: 1,
    });
    batches.set(row.batch_key, batch);
  }
  for (const batch of batches.values()) {
    expectEqual(
      `derived key of batch ${batch.key.slice(0, 20)}…`,
      batchIdempotencyKey(batch.records.map((r) => r.idempotencyKey)),
      batch.key,
    );
  }
  return [...batches.values()];
}

/** Lease(batch) + settle-delivered until empty, as the dispatcher does it minus HTTP; a separate copy of the records. */
function runOutboxOnly(options: DeliveryBenchOptions, area: TempArea) {
  const dir = area.dir('outbox-only');
  const outbox = openBenchOutbox(dir);
  const close = area.track(() => outbox.close());
  seedOutbox(outbox, 0, options.records, orderingKeysFor(options.batch, options.concurrency));
  const maxBytes = Math.max(1024 * 1024, options.batch * (RECORD_BYTES + 1) + 2);
  let leases = 0;
  const t0 = nowMs();
  for (;;) {
    const lease = outbox.lease({
      connection: BENCH_CONNECTION,
      max: options.batch,
      maxBytes,
      leaseMs: 120_000,
      batch: true,
    });
    if (lease.records.length === 0) break;
    leases += 1;
    const at = Date.now();
    outbox.settle(
      lease.token,
      lease.records.map((r) => ({
        id: r.id,
        kind: 'delivered',
        receipt: { code: 'HTTP 201', at },
        latencyMs: 1,
      })),
    );
  }
  const ms = nowMs() - t0;
  expectEqual('records open after the outbox-only drain', outbox.counts(BENCH_CONNECTION).pending, 0);
  close();
  area.remove('outbox-only');
  return { rate: options.records / (ms / 1000), ms, leases };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function runAgent(options: DeliveryBenchOptions, dir: string) {
  const server = await BenchServer.start();
  try {
    const cpu = process.cpuUsage();
    const withStart = monitorEventLoopDelay({ resolution: 1 });
    withStart.enable();
    const t0 = nowMs();
    const engine = await startBenchEngine({
      dir,
      url: server.url,
      concurrency: options.concurrency,
      batch: {
        format: options.format,
        maxRecords: options.batch,
        maxBytes: Math.max(1024 * 1024, options.batch * (RECORD_BYTES + 1) + 2),
      },
    });
    const started = nowMs() - t0;
    // The drain alone: engine start (open, quick_check, connections) is one-off work measured by bench:start.
    const duringDrain = monitorEventLoopDelay({ resolution: 1 });
    duringDrain.enable();
    await waitUntilDrained(engine, 60_000);
    const ms = nowMs() - t0;
    const cpuUsed = cpuMs(cpu);
    duringDrain.disable();
    withStart.disable();
    const loopDelayP99Ms = duringDrain.percentile(99) / 1e6;
    const loopDelayWithStartP99Ms = withStart.percentile(99) / 1e6;
    await engine.stop();
    const summary = await server.summary();
    return { ms, started, cpuUsed, summary, loopDelayP99Ms, loopDelayWithStartP99Ms };
  } finally {
    await server.close();
  }
}

async function runRaw(options: DeliveryBenchOptions, batches: Batch[]) {
  const bodies = batches.map((b) => ({ key: b.key, ...encodeBody(b.records, options.format) }));
  const server = await BenchServer.start();
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    const client = got.extend({
      agent: { http: agent },
      retry: { limit: 0 },
      throwHttpErrors: false,
      responseType: 'buffer',
    });
    const url = `${server.url}/ingest/${BENCH_CONNECTION}`;
    let next = 0;
    const cpu = process.cpuUsage();
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const t0 = nowMs();
    const worker = async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const { key, body, contentType } = bodies[i]!;
        const response = await client.post(url, {
          body,
          headers: { 'content-type': contentType, 'idempotency-key': key },
        });
        if (response.statusCode !== 201)
          throw new Error(`raw loop: HTTP ${response.statusCode} for batch ${i}`);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const ms = nowMs() - t0;
    const cpuUsed = cpuMs(cpu);
    const summary = await server.summary();
    return { ms, cpuUsed, summary };
  } finally {
    agent.destroy();
    await server.close();
  }
}

export async function runThroughputPhases(
  options: DeliveryBenchOptions,
  area: TempArea,
): Promise<ThroughputFigures> {
  const { records } = options;
  const outboxOnly = runOutboxOnly(options, area);
  const dir = area.dir('throughput');
  const seeding = openBenchOutbox(dir);
  const closeSeeding = area.track(() => seeding.close());
  const t0 = nowMs();
  seedOutbox(seeding, 0, records, orderingKeysFor(options.batch, options.concurrency));
  const seedMs = nowMs() - t0;
  closeSeeding();

  const agentRun = await runAgent(options, dir);
  expectEqual('records applied by the server (agent run)', agentRun.summary.items, records);
  expectEqual('duplicate deliveries (agent run)', agentRun.summary.duplicates, 0);

  const afterRun = openBenchOutbox(dir);
  const closeAfterRun = area.track(() => afterRun.close());
  expectEqual('records still open after the agent run', afterRun.counts(BENCH_CONNECTION).pending, 0);
  const batches = batchesSent(afterRun);
  closeAfterRun();
  area.remove('throughput');

  const rawRun = await runRaw(options, batches);
  expectEqual('records applied by the server (raw run)', rawRun.summary.items, records);
  expectEqual(
    'same requests as the agent (sorted key digest)',
    rawRun.summary.keysDigest,
    agentRun.summary.keysDigest,
  );

  const sizes = batches.map((b) => b.records.length);
  const figures = (run: { ms: number; cpuUsed: number; summary: ServerSummary }): RunFigures => ({
    records,
    requests: run.summary.requests,
    ms: run.ms,
    rate: records / (run.ms / 1000),
    cpuMsPer1k: (run.cpuUsed / records) * 1000,
    server: run.summary,
  });
  const agent = figures(agentRun);
  const raw = figures(rawRun);
  return {
    outboxOnly,
    agent,
    agentStartMs: agentRun.started,
    loopDelayP99Ms: agentRun.loopDelayP99Ms,
    loopDelayWithStartP99Ms: agentRun.loopDelayWithStartP99Ms,
    raw,
    ratio: agent.rate / raw.rate,
    seedMs,
    batchSizes: {
      min: Math.min(...sizes),
      max: Math.max(...sizes),
      mean: sizes.reduce((a, b) => a + b, 0) / sizes.length,
    },
  };
}
