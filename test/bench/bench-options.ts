// Command-line and environment options of the outbox benchmark (sizes, quick mode, key style, temp location).
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';

export type KeyStyle = 'random' | 'sequential';

export interface BenchOptions {
  /** Records enqueued (and raw-inserted) in the enqueue phase, then drained in the lease+settle phase. */
  records: number;
  /** Pending records held during the small lease-latency measurement. */
  smallPending: number;
  /** Pending records held during the large lease-latency measurement. */
  largePending: number;
  /** Measured lease calls per database. */
  samples: number;
  keyStyle: KeyStyle;
  quick: boolean;
  tmpBase: string;
}

export const usage = `Usage: node --import tsx test/bench/outbox.ts [options]   (or: npx tsx test/bench/outbox.ts)

  --records N        records for the enqueue and drain phases   (default 200k, quick 50k; env OUTBOX_BENCH_RECORDS)
  --small-pending N  pending records for the small lease case    (default 10k; env OUTBOX_BENCH_SMALL_PENDING)
  --large-pending N  pending records for the large lease case    (default 1m, quick 100k; env OUTBOX_BENCH_LARGE_PENDING)
  --samples N        measured lease calls per case               (default 200; env OUTBOX_BENCH_SAMPLES)
  --keys STYLE       idempotency keys: random (hash-like, default) or sequential   (env OUTBOX_BENCH_KEYS)
  --quick            smoke run: smaller defaults                  (env OUTBOX_BENCH_QUICK=1)
  --tmp DIR          where the temporary databases go             (default os.tmpdir(); env OUTBOX_BENCH_TMP)
  --help             this text

Numbers accept 200000, 200_000, 200k or 1m. Prefer node --import tsx: Ctrl-C then removes the temp files at once
(the tsx CLI SIGKILLs a busy child; the next run removes what that leaves behind).`;

/** Parses "200000", "200_000", "200k", "1m". */
export function parseCount(text: string, name: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.replace(/[_,]/g, '').trim());
  if (!match) throw new Error(`${name}: expected a number like 200000, 200k or 1m, got "${text}"`);
  const unit = match[2]?.toLowerCase();
  const value = Number(match[1]) * (unit === 'k' ? 1_000 : unit === 'm' ? 1_000_000 : 1);
  if (!Number.isFinite(value) || value < 1) throw new Error(`${name}: must be at least 1, got "${text}"`);
  return Math.round(value);
}

export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      records: { type: 'string' },
      'small-pending': { type: 'string' },
      'large-pending': { type: 'string' },
      samples: { type: 'string' },
      keys: { type: 'string' },
      quick: { type: 'boolean' },
      tmp: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? ['1', 'true', 'yes'].includes((env.OUTBOX_BENCH_QUICK ?? '').toLowerCase());
  const count = (flag: string | undefined, envName: string, full: number, smoke: number): number => {
    const text = flag ?? env[envName];
    return text === undefined || text === '' ? (quick ? smoke : full) : parseCount(text, envName);
  };
  const keyStyle = values.keys ?? env.OUTBOX_BENCH_KEYS ?? 'random';
  if (keyStyle !== 'random' && keyStyle !== 'sequential') {
    throw new Error(`--keys must be "random" or "sequential", got "${keyStyle}"`);
  }
  return {
    records: count(values.records, 'OUTBOX_BENCH_RECORDS', 200_000, 50_000),
    smallPending: count(values['small-pending'], 'OUTBOX_BENCH_SMALL_PENDING', 10_000, 10_000),
    largePending: count(values['large-pending'], 'OUTBOX_BENCH_LARGE_PENDING', 1_000_000, 100_000),
    samples: count(values.samples, 'OUTBOX_BENCH_SAMPLES', 200, 200),
    keyStyle,
    quick,
    tmpBase: values.tmp ?? env.OUTBOX_BENCH_TMP ?? tmpdir(),
  };
}
