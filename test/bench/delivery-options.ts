// Command-line and environment options of the delivery benchmark (sizes, rate, batch shape, quick mode, temp location).
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { parseCount } from './bench-options.js';

export type BenchBatchFormat = 'json-array' | 'ndjson';

export interface DeliveryBenchOptions {
  /** Records pre-seeded into the outbox for the throughput phases. */
  records: number;
  /** Records per batch request in the throughput phases. */
  batch: number;
  format: BenchBatchFormat;
  /** Requests in flight at once, for the agent and the raw loop alike. */
  concurrency: number;
  /** Steady enqueue rate of the latency phase, records per second. */
  rate: number;
  /** Length of each latency run, seconds. */
  seconds: number;
  quick: boolean;
  tmpBase: string;
}

export const deliveryUsage = `Usage: node --import tsx test/bench/delivery.ts [options]   (npm run bench:delivery -- [options])

  --records N      records pre-seeded for the throughput phases  (default 100k, quick 10k; env DELIVERY_BENCH_RECORDS)
  --batch N        records per batch request                      (default 500; env DELIVERY_BENCH_BATCH)
  --format F       json-array (default) or ndjson                 (env DELIVERY_BENCH_FORMAT)
  --concurrency N  requests in flight, agent and raw loop alike   (default 4; env DELIVERY_BENCH_CONCURRENCY)
  --rate N         records/s enqueued in the latency phase        (default 200; env DELIVERY_BENCH_RATE)
  --seconds N      length of each latency run                     (default 20, quick 5; env DELIVERY_BENCH_SECONDS)
  --quick          smoke run: smaller defaults                     (env DELIVERY_BENCH_QUICK=1)
  --tmp DIR        where the temporary outboxes go                 (default os.tmpdir(); env DELIVERY_BENCH_TMP)
  --help           this text

Numbers accept 100000, 100_000, 100k or 1m.`;

export function parseDeliveryOptions(argv: string[], env: NodeJS.ProcessEnv): DeliveryBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      records: { type: 'string' },
      batch: { type: 'string' },
      format: { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      quick: { type: 'boolean' },
      tmp: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? ['1', 'true', 'yes'].includes((env.DELIVERY_BENCH_QUICK ?? '').toLowerCase());
  const count = (flag: string | undefined, envName: string, full: number, smoke: number): number => {
    const text = flag ?? env[envName];
    return text === undefined || text === '' ? (quick ? smoke : full) : parseCount(text, envName);
  };
  const format = values.format ?? env.DELIVERY_BENCH_FORMAT ?? 'json-array';
  if (format !== 'json-array' && format !== 'ndjson') {
    throw new Error(`--format must be "json-array" or "ndjson", got "${format}"`);
  }
  const options: DeliveryBenchOptions = {
    records: count(values.records, 'DELIVERY_BENCH_RECORDS', 100_000, 10_000),
    batch: count(values.batch, 'DELIVERY_BENCH_BATCH', 500, 500),
    format,
    concurrency: count(values.concurrency, 'DELIVERY_BENCH_CONCURRENCY', 4, 4),
    rate: count(values.rate, 'DELIVERY_BENCH_RATE', 200, 200),
    seconds: count(values.seconds, 'DELIVERY_BENCH_SECONDS', 20, 5),
    quick,
    tmpBase: values.tmp ?? env.DELIVERY_BENCH_TMP ?? tmpdir(),
  };
  if (options.batch > 10_000) throw new Error(`--batch: at most 10000 (the agent's batch.maxRecords limit)`);
  if (options.concurrency > 64) throw new Error(`--concurrency: at most 64 (the agent's limit)`);
  return options;
}
