// Logical decoding benchmark: changes/s into a durable outbox vs raw enqueue of the same batches, and capture lag.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { ChangeBatch } from '../../connectors/core/change.js';
import { createLogicalSource } from '../../connectors/sources/database/logical/create-logical-source.js';
import { setupStatements } from '../../connectors/sources/database/logical/setup.js';
import { Outbox } from '../../main/outbox/outbox.js';
import { logicalSourceConfig } from '../support/logical-capture.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { benchMain, loadAverage } from './bench-main.js';
import { parseCount } from './bench-options.js';
import { int, ms, rate, ratio } from './format.js';
import { distribution, nowMs } from './measure.js';
import type { TempArea } from './temp-area.js';

interface LogicalBenchOptions {
  writers: number;
  transactions: number;
  tmpBase: string;
}

const usage = `Usage: node --import tsx test/bench/capture-logical.ts [options]

  --writers N        concurrent writer sessions            (default 4)
  --transactions N   transactions per writer and phase     (default 500, quick 100; env LOGICAL_BENCH_TX)
  --quick            smoke run                              (env DB_BENCH_QUICK=1)
  --tmp DIR          where the outboxes go                  (default os.tmpdir())
  --help             this text

Each transaction is pgbench-like: one UPDATE of an existing row and one INSERT (two changes).`;

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): LogicalBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      writers: { type: 'string' },
      transactions: { type: 'string' },
      quick: { type: 'boolean' },
      tmp: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      // options of the other capture benchmarks, passed to every part by capture.ts
      rows: { type: 'string' },
      batch: { type: 'string' },
      idle: { type: 'string' },
      files: { type: 'string' },
    },
    strict: false,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? ['1', 'true', 'yes'].includes((env.DB_BENCH_QUICK ?? '').toLowerCase());
  const tx = (values.transactions as string | undefined) ?? env.LOGICAL_BENCH_TX;
  return {
    writers: values.writers ? parseCount(values.writers as string, 'writers') : 4,
    transactions: tx ? parseCount(tx, 'transactions') : quick ? 100 : 500,
    tmpBase: (values.tmp as string | undefined) ?? tmpdir(),
  };
}

/** `writers` sessions, each `transactions` × (UPDATE a random seeded row, INSERT a new one, with its write time). */
async function load(server: PostgresServer, options: LogicalBenchOptions, idBase: number): Promise<number> {
  await Promise.all(
    Array.from({ length: options.writers }, async (_, w) => {
      const client = await server.connect();
      try {
        for (let n = 0; n < options.transactions; n += 1) {
          const id = idBase + w * 1_000_000 + n;
          await client.query('BEGIN');
          await client.query('UPDATE bench SET amount = amount + 1, at = clock_timestamp() WHERE id = $1', [
            1 + ((id * 7919) % 1000),
          ]);
          await client.query(
            `INSERT INTO bench VALUES ($1::bigint, 'Customer ' || ($1::bigint % 5000), 12.34, 'ok', clock_timestamp())`,
            [id],
          );
          await client.query('COMMIT');
        }
      } finally {
        await client.end();
      }
    }),
  );
  return options.writers * options.transactions * 2;
}

async function run(options: LogicalBenchOptions, area: TempArea): Promise<void> {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  log(`Logical decoding benchmark (${process.version}); load average (1/5/15 min): ${loadAverage()}`);
  log(
    `  ${options.writers} writers × ${int(options.transactions)} transactions (UPDATE + INSERT) per phase, outbox synchronous=FULL`,
  );
  const server = await startPostgres({ logical: true });
  let stopSource: () => Promise<void> = () => Promise.resolve();
  try {
    await server.query(`CREATE TABLE bench (id bigint PRIMARY KEY, customer text, amount numeric(12, 2),
      note text, at timestamptz NOT NULL)`);
    await server.query(
      `INSERT INTO bench SELECT g, 'Customer ' || g, 1, 'seed', now() FROM generate_series(1, 1000) g`,
    );
    const extra = { tables: ['bench'], publication: 'bench_pub', slot: 'bench_slot' };
    for (const sql of setupStatements({ ...extra, user: server.user })) await server.query(sql);
    const outbox = Outbox.open(join(area.dir('logical'), 'outbox.db'), {
      synchronous: 'FULL',
      busyTimeoutMs: 5000,
    });
    const batches: ChangeBatch[] = [];
    const lags: number[] = [];
    let stored = 0;
    const emit = (batch: ChangeBatch) => {
      const result = outbox.enqueue('bench', batch);
      stored += result.inserted;
      const first = batch.changes[0];
      if (first) {
        batches.push(batch);
        const at = (JSON.parse(first.payload.toString()) as { at?: string }).at;
        if (at) lags.push(Date.now() - Date.parse(at));
      }
      return result;
    };
    const source = createLogicalSource(logicalSourceConfig(server, extra), () => server.password);
    const start = () =>
      source.start({
        emit,
        emitShaped: (batch) => Promise.resolve(emit(batch)),
        checkpoint: (key) => outbox.checkpoint('bench', key),
        checkpoints: () => outbox.checkpoints('bench'),
        deliveryStates: (keys) => outbox.deliveryStates('bench', keys),
        logger: pino({ level: 'silent' }),
        reportHealth: () => undefined,
      });
    const until = async (changes: number) => {
      while (stored < changes) {
        const health = source.health();
        if (health.state === 'degraded') throw new Error(`logical decoding: ${health.detail ?? 'degraded'}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };

    // Live phase: capture runs while the writers write; the lag is outbox commit minus the row's write time.
    stopSource = () => source.stop();
    await start();
    await until(0);
    const live = await load(server, options, 10_000_000);
    await until(live);
    const lag = distribution(lags);

    // Backlog phase: the same load written while capture is paused, then drained: capture's own rate.
    source.pause('benchmark: backlog phase');
    const backlog = await load(server, options, 20_000_000);
    const before = stored;
    const drainStart = nowMs();
    source.resume();
    await until(before + backlog);
    const logicalRate = (backlog / (nowMs() - drainStart)) * 1000;
    await source.stop();
    outbox.close();

    // Raw: the same transactions' batches enqueued straight into a fresh outbox of the same settings.
    const raw = Outbox.open(join(area.dir('raw'), 'outbox.db'), { synchronous: 'FULL', busyTimeoutMs: 5000 });
    const drained = batches.slice(-Math.round(backlog / 2));
    const rawStart = nowMs();
    let rawChanges = 0;
    for (const batch of drained) rawChanges += raw.enqueue('bench', batch).inserted;
    const rawRate = (rawChanges / (nowMs() - rawStart)) * 1000;
    raw.close();

    log();
    log(`  backlog drain: ${int(backlog)} changes at ${rate(logicalRate)}; raw enqueue of the same`);
    log(`  ${int(drained.length)} transactions: ${rate(rawRate)}`);
    log(`  live capture lag over ${int(lag.count)} transactions: p50 ${ms(lag.median)}, p99 ${ms(lag.p99)}`);
    log('  (lag: outbox commit minus the row’s clock_timestamp() in its transaction; same machine clock)');
    log(`figure logical-vs-raw = ${ratio(logicalRate / rawRate)}`);
    log(`figure logical-lag-p50-ms = ${lag.median.toFixed(1)}`);
    log(`figure logical-lag-p99-ms = ${lag.p99.toFixed(1)}`);
  } finally {
    await stopSource();
    await server.stop();
  }
}

process.exitCode = await benchMain(parseOptions, usage, run);
