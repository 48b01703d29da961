// Phase 3: enqueue-to-ack latency at a steady rate, one record per request and small batches (default linger).
import type { Engine } from '../../main/engine/engine.js';
import type { DeliveryBenchOptions } from './delivery-options.js';
import { BENCH_CONNECTION, benchChange } from './delivery-records.js';
import { startBenchEngine, waitUntilDrained } from './delivery-engine.js';
import { BenchServer } from './delivery-server.js';
import { distribution, nowMs, type Distribution } from './measure.js';
import { expectEqual } from './outbox-driver.js';
import type { TempArea } from './temp-area.js';

export interface LatencyMode {
  label: string;
  batch?: { format: 'json-array' | 'ndjson'; maxRecords: number; maxBytes: number };
}

export interface LatencyFigures {
  label: string;
  records: number;
  /** Records per second the producer actually achieved. */
  achievedRate: number;
  /** created_at (enqueue) → settled_at (delivered), from the outbox, ms. */
  latencyMs: Distribution;
  requests: number;
}

const WARM_UP = 50;
const ORDERING_KEYS = 1000;

function enqueueOne(engine: Engine, seq: number): void {
  engine.outbox.enqueue(BENCH_CONNECTION, {
    changes: [benchChange(seq, ORDERING_KEYS)],
    checkpoints: [{ key: 'bench:captured', value: String(seq + 1) }],
  });
}

/** Enqueues `count` records, one every 1000 / rate ms, on a fixed schedule (a late tick does not shift the next). */
async function produce(engine: Engine, first: number, count: number, rate: number): Promise<number> {
  const interval = 1000 / rate;
  const start = nowMs();
  for (let k = 0; k < count; k++) {
    const wait = start + k * interval - nowMs();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    enqueueOne(engine, first + k);
  }
  return nowMs() - start;
}

export async function runLatencyMode(
  options: DeliveryBenchOptions,
  area: TempArea,
  mode: LatencyMode,
): Promise<LatencyFigures> {
  const dir = area.dir('latency');
  const server = await BenchServer.start();
  try {
    const engine = await startBenchEngine({
      dir,
      url: server.url,
      concurrency: options.concurrency,
      ...(mode.batch ? { batch: mode.batch } : {}),
    });
    const stopEngine = area.track(() => void engine.stop());
    for (let seq = 0; seq < WARM_UP; seq++) enqueueOne(engine, seq); // connections and JIT, not measured
    await waitUntilDrained(engine, 30_000);
    const count = options.rate * options.seconds;
    const producedMs = await produce(engine, WARM_UP, count, options.rate);
    await waitUntilDrained(engine, 30_000);
    const latencies = engine.outbox.db
      .prepare(
        `SELECT settled_at - created_at FROM records WHERE connection = ? AND state = 'delivered' AND id > ?`,
      )
      .pluck()
      .all(BENCH_CONNECTION, WARM_UP) as number[];
    expectEqual(`${mode.label}: delivered records measured`, latencies.length, count);
    await engine.stop();
    stopEngine();
    const summary = await server.summary();
    expectEqual(`${mode.label}: records applied`, summary.items, count + WARM_UP);
    return {
      label: mode.label,
      records: count,
      achievedRate: count / (producedMs / 1000),
      latencyMs: distribution(latencies),
      requests: summary.requests,
    };
  } finally {
    await server.close();
    area.remove('latency');
  }
}
