// Outbox benchmark: durable enqueue vs raw insert, lease+settle drain, lease latency vs backlog size, peak RSS.
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import Database from 'better-sqlite3';
import { parseBenchOptions, usage, type BenchOptions } from './bench-options.js';
import type { BenchContext } from './bench-context.js';
import { runDrainPhase, type DrainFigures } from './drain-phase.js';
import {
  ENQUEUE_BATCH,
  ENQUEUE_ORDERING_KEYS,
  runEnqueuePhase,
  warmUp,
  type EnqueueFigures,
} from './enqueue-phase.js';
import { int, mib, ms, rate, ratio, seconds, table } from './format.js';
import {
  RECORDS_PER_KEY,
  runLeaseLatencyPhase,
  type LatencyCase,
  type LatencyFigures,
} from './lease-latency-phase.js';
import { nowMs, RssTracker } from './measure.js';
import { LEASE_MAX, LEASE_MAX_BYTES } from './outbox-driver.js';
import { describePragmas } from './raw-table.js';
import type { TempArea } from './temp-area.js';
import { runEncryptionPhase } from './encryption-phase.js';
import { benchMain, loadAverage } from './bench-main.js';

const ENQUEUE_TARGET = 0.5;
const LATENCY_TARGET = 1.1;

function versions(): string {
  const require = createRequire(import.meta.url);
  const driver = (require('better-sqlite3/package.json') as { version: string }).version;
  const db = new Database(':memory:');
  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  return `node ${process.version}, better-sqlite3 ${driver}, SQLite ${sqlite}, ${cpus().length} x ${cpu}`;
}

function printEnqueue(log: BenchContext['log'], f: EnqueueFigures): void {
  const verdict = f.ratio >= ENQUEUE_TARGET ? 'PASS' : 'BELOW TARGET';
  log(`  pragmas outbox: ${describePragmas(f.outboxPragmas)}`);
  log(`  pragmas raw   : ${describePragmas(f.rawPragmas)}`);
  log(
    table([
      ['', 'records/s', 'batch p50', 'batch p99', 'batch max', 'file (db+wal)'],
      [
        'Outbox.enqueue',
        int(f.outboxRate),
        ms(f.outboxBatchMs.median),
        ms(f.outboxBatchMs.p99),
        ms(f.outboxBatchMs.max),
        mib(f.outboxBytes),
      ],
      [
        'raw insert',
        int(f.rawRate),
        ms(f.rawBatchMs.median),
        ms(f.rawBatchMs.p99),
        ms(f.rawBatchMs.max),
        mib(f.rawBytes),
      ],
    ]).replace(/^/gm, '  '),
  );
  log(`  enqueue / raw = ${ratio(f.ratio)}   (target >= ${ENQUEUE_TARGET.toFixed(2)}: ${verdict})`);
  log(`figure enqueue-vs-raw = ${f.ratio.toFixed(3)}`);
}

function printDrain(log: BenchContext['log'], f: DrainFigures): void {
  log(`  ${int(f.records)} records leased and settled delivered in ${seconds(f.totalMs)}: ${rate(f.rate)}`);
  log(
    `  ${int(f.leaseCalls)} lease calls (${f.shortLeases} short, incl. the last), lease p50 ${ms(f.leaseMs.median)} ` +
      `p99 ${ms(f.leaseMs.p99)}; settle p50 ${ms(f.settleMs.median)} p99 ${ms(f.settleMs.p99)}`,
  );
}

function caseRow(c: LatencyCase): string[] {
  return [
    int(c.pending),
    `${int(c.orderingKeys)} / ${int(c.readyHeads)}`,
    c.pendingSeen.min === c.pendingSeen.max
      ? int(c.pendingSeen.min)
      : `${int(c.pendingSeen.min)}-${int(c.pendingSeen.max)}`,
    ms(c.leaseMs.median),
    ms(c.leaseMs.p90),
    ms(c.leaseMs.p99),
    ms(c.leaseMs.max),
    ms(c.settleMs.median),
    mib(c.fileBytes),
  ];
}

function printLatency(log: BenchContext['log'], f: LatencyFigures): void {
  const verdict = f.medianRatio <= LATENCY_TARGET ? 'PASS' : 'BELOW TARGET';
  log(
    `  build of the large backlog via Outbox.enqueue: ${rate(f.large.buildRate)} (${seconds(f.large.buildMs)} incl. payload generation)`,
  );
  log(
    table([
      [
        'pending',
        'keys / ready heads',
        'pending per call',
        'lease p50',
        'p90',
        'p99',
        'max',
        'settle p50',
        'file',
      ],
      caseRow(f.small),
      caseRow(f.large),
    ]).replace(/^/gm, '  '),
  );
  const short = f.small.shortLeases + f.large.shortLeases;
  if (short > 0) log(`  WARNING: ${short} measured lease calls returned fewer than ${LEASE_MAX} records`);
  log(
    `  drain (lease ${LEASE_MAX} + settle delivered, backlog refilled): ${rate(f.large.drainRate)} with ${int(f.large.pending)} ` +
      `waiting, ${rate(f.small.drainRate)} with ${int(f.small.pending)} waiting (target ratio >= 0.90)`,
  );
  log(`  drain-1m-vs-10k measured with N = ${int(f.large.pending)} vs ${int(f.small.pending)} waiting`);
  log(`figure drain-1m-vs-10k = ${f.drainRatio.toFixed(3)}`);
  log(
    `  lease p50 ratio large/small = ${ratio(f.medianRatio)}   (target <= ${LATENCY_TARGET.toFixed(2)}: ${verdict}); p99 ratio ${ratio(f.p99Ratio)}`,
  );
  log('  query plans (live statements):');
  for (const p of f.plans) {
    log(`    ${p.name}:`);
    for (const line of p.plan) log(`      ${line}`);
  }
  log(`  lease query: ${f.planVerdict}`);
  log('  Outbox.open cost (files warm in the OS cache):');
  log(
    table([
      ['pending', 'Outbox.open', 'quick_check', 'counters.load', 'releaseOrphanedLeases'],
      ...[f.small, f.large].map((c) => [
        int(c.pending),
        ms(c.open.openMs),
        ms(c.open.quickCheckMs),
        ms(c.open.countersLoadMs),
        ms(c.open.releaseOrphansMs),
      ]),
    ]).replace(/^/gm, '    '),
  );
}

function printSummary(
  log: BenchContext['log'],
  e: EnqueueFigures,
  d: DrainFigures,
  l: LatencyFigures,
  rss: RssTracker,
): void {
  const kernelPeak = RssTracker.kernelPeakBytes();
  log(
    table([
      ['metric', 'value', 'target', 'verdict'],
      [`durable enqueue (Outbox.enqueue, ${int(ENQUEUE_BATCH)}/batch, FULL)`, rate(e.outboxRate), '', ''],
      ['raw better-sqlite3 insert, same rows and pragmas', rate(e.rawRate), '', ''],
      [
        'enqueue / raw',
        ratio(e.ratio),
        `>= ${ENQUEUE_TARGET.toFixed(2)}`,
        e.ratio >= ENQUEUE_TARGET ? 'PASS' : 'BELOW TARGET',
      ],
      [`lease(${LEASE_MAX}) + settle delivered, drain`, rate(d.rate), '', ''],
      [
        `lease p50 / p99 @ ${int(l.small.pending)} pending`,
        `${ms(l.small.leaseMs.median)} / ${ms(l.small.leaseMs.p99)}`,
        '',
        '',
      ],
      [
        `lease p50 / p99 @ ${int(l.large.pending)} pending`,
        `${ms(l.large.leaseMs.median)} / ${ms(l.large.leaseMs.p99)}`,
        '',
        '',
      ],
      [
        'lease p50 ratio large/small',
        ratio(l.medianRatio),
        `<= ${LATENCY_TARGET.toFixed(2)}`,
        l.medianRatio <= LATENCY_TARGET ? 'PASS' : 'BELOW TARGET',
      ],
      [`Outbox.open @ ${int(l.large.pending)} pending`, ms(l.large.open.openMs), '', ''],
      ['peak RSS (sampled / kernel high-water)', `${mib(rss.peak)} / ${mib(kernelPeak)}`, '', ''],
    ]).replace(/^/gm, '  '),
  );
  const phases = [...rss.phasePeaks].map(([name, bytes]) => `${name} ${mib(bytes)}`).join(', ');
  log(`  RSS peak by phase (${int(rss.samples)} samples): ${phases}`);
}

async function run(options: BenchOptions, area: TempArea): Promise<void> {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  const rss = new RssTracker();
  const ctx: BenchContext = { options, area, rss, log };
  const started = nowMs();
  log(`Outbox benchmark (${options.quick ? 'quick' : 'full'} run)`);
  log(`  ${versions()}`);
  log(
    `  records=${int(options.records)}, lease latency at ${int(options.smallPending)} and ${int(options.largePending)} pending, ` +
      `${options.samples} samples, lease max ${LEASE_MAX} / ${mib(LEASE_MAX_BYTES)}, 1 KiB random payloads, ${options.keyStyle} idempotency keys`,
  );
  log(`  temp: ${area.root}; load average at start (1/5/15 min): ${loadAverage()}`);

  rss.phase('warm-up');
  await warmUp(ctx);

  log();
  log(
    `[1] durable enqueue: ${int(options.records)} records, batches of ${int(ENQUEUE_BATCH)}, ${int(ENQUEUE_ORDERING_KEYS)} ordering keys, interleaved with raw in blocks`,
  );
  rss.phase('enqueue');
  const enqueue = await runEnqueuePhase(ctx);
  printEnqueue(log, enqueue.figures);

  log();
  log(`[2] lease + settle throughput: drain the ${int(options.records)} records of [1]`);
  rss.phase('drain');
  const drain = await runDrainPhase(ctx, enqueue.outbox, options.records);
  enqueue.closeOutbox();
  area.remove('enqueue-outbox');
  printDrain(log, drain);

  log();
  log(
    `[3] lease latency: ${int(options.smallPending)} vs ${int(options.largePending)} pending, ${RECORDS_PER_KEY} per ordering key, constant backlog`,
  );
  rss.phase('lease latency');
  const latency = await runLeaseLatencyPhase(ctx);
  printLatency(log, latency);

  log();
  log(
    '[4] outbox.encryption on vs off: the same batches enqueued into a plain and an encrypted outbox, A/B blocks',
  );
  rss.phase('encryption');
  const encryption = await runEncryptionPhase(area, Math.min(options.records, 50_000));
  log(
    `  ${int(encryption.records)} records: plain ${rate(encryption.enqueue.plainRate)}, encrypted ${rate(encryption.enqueue.encryptedRate)}`,
  );
  log(`figure enqueue-encrypted-vs-plain = ${encryption.enqueue.ratio.toFixed(3)}`);

  rss.phase('end');
  log();
  log(`Summary (${seconds(nowMs() - started)} total; load average at end (1/5/15 min): ${loadAverage()})`);
  printSummary(log, enqueue.figures, drain, latency, rss);
}

process.exitCode = await benchMain(parseBenchOptions, usage, run);
