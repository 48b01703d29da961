// Delivery benchmark: agent engine vs raw got loop on the same batches and server, and enqueue-to-ack latency.
import { cpus } from 'node:os';
import { RssTracker, nowMs } from './measure.js';
import { int, mib, ms, rate, ratio, seconds, table } from './format.js';
import { deliveryUsage, parseDeliveryOptions, type DeliveryBenchOptions } from './delivery-options.js';
import { RECORD_BYTES } from './delivery-records.js';
import { runLatencyMode, type LatencyFigures, type LatencyMode } from './delivery-latency.js';
import { runThroughputPhases, type ThroughputFigures } from './delivery-throughput.js';
import type { TempArea } from './temp-area.js';
import { runEncryptionPhase, type EncryptionFigures } from './encryption-phase.js';
import { benchMain, loadAverage } from './bench-main.js';

const RATIO_TARGET = 0.8;

type Log = (line?: string) => void;

function printThroughput(log: Log, f: ThroughputFigures): void {
  log(
    `  seeded in ${seconds(f.seedMs)} (not timed); batches as the agent formed them: ${int(f.agent.server.applied)} ` +
      `requests, ${int(f.batchSizes.min)}–${int(f.batchSizes.max)} records (mean ${int(f.batchSizes.mean)})`,
  );
  log(
    table([
      ['', 'records/s', 'wall', 'requests', 'client CPU / 1k records'],
      ...(
        [
          ['agent engine (in-process)', f.agent],
          ['raw got loop, same batches', f.raw],
        ] as const
      ).map(([name, r]) => [name, int(r.rate), seconds(r.ms), int(r.requests), ms(r.cpuMsPer1k)]),
    ]).replace(/^/gm, '  '),
  );
  log(`  agent window includes Engine.start: ${ms(f.agentStartMs)} (outbox open, quick_check, connections)`);
  log(
    `  ceiling without HTTP: the same records leased (batch) and settled through the Outbox API alone: ` +
      `${rate(f.outboxOnly.rate)} (${int(f.outboxOnly.leases)} leases); agent / outbox alone = ${ratio(f.agent.rate / f.outboxOnly.rate)}`,
  );
  const verdict = f.ratio >= RATIO_TARGET ? 'PASS' : 'BELOW TARGET';
  log(`  agent / raw = ${ratio(f.ratio)}   (target >= ${RATIO_TARGET.toFixed(2)}: ${verdict})`);
  log(`  event-loop delay p99 during the agent's drain: ${ms(f.loopDelayP99Ms)} (target < 20 ms)`);
  log(
    `  the same with engine start included (open, quick_check, connections): ${ms(f.loopDelayWithStartP99Ms)}`,
  );
  log(`figure delivery-vs-raw = ${f.ratio.toFixed(3)}`);
  log(`figure loop-delay-p99-ms = ${f.loopDelayP99Ms.toFixed(1)}`);
}

function printEncryptionDrain(log: Log, f: EncryptionFigures): void {
  log(
    `  ${int(f.records)} records: plain ${rate(f.drain.plainRate)}, encrypted ${rate(f.drain.encryptedRate)} ` +
      '(decryption at lease; HTTP excluded, so this is the upper bound of the cost on a delivery)',
  );
  log(`figure delivery-encrypted-vs-plain = ${f.drain.ratio.toFixed(3)}`);
}

function printLatency(log: Log, runs: LatencyFigures[]): void {
  log(
    table([
      ['', 'records', 'achieved rate', 'records/request', 'p50', 'p90', 'p99', 'max'],
      ...runs.map((r) => [
        r.label,
        int(r.records),
        rate(r.achievedRate),
        (r.records / r.requests).toFixed(1),
        ms(r.latencyMs.median),
        ms(r.latencyMs.p90),
        ms(r.latencyMs.p99),
        ms(r.latencyMs.max),
      ]),
    ]).replace(/^/gm, '  '),
  );
  log(
    '  (created_at at enqueue → settled_at of the delivered settle, both from the outbox, 1 ms resolution)',
  );
}

function printSummary(log: Log, t: ThroughputFigures, l: LatencyFigures[], rss: RssTracker): void {
  log(
    table([
      ['metric', 'value', 'target', 'verdict'],
      ['agent engine, batches, delivered', rate(t.agent.rate), '', ''],
      ['raw got loop, same batches', rate(t.raw.rate), '', ''],
      ['outbox lease(batch) + settle alone, no HTTP', rate(t.outboxOnly.rate), '', ''],
      [
        'agent / raw',
        ratio(t.ratio),
        `>= ${RATIO_TARGET.toFixed(2)}`,
        t.ratio >= RATIO_TARGET ? 'PASS' : 'BELOW TARGET',
      ],
      ...l.map((r) => [
        `enqueue→ack p50 / p99, ${r.label}`,
        `${ms(r.latencyMs.median)} / ${ms(r.latencyMs.p99)}`,
        '',
        '',
      ]),
      [
        'peak RSS (sampled between phases / kernel high-water)',
        `${mib(rss.peak)} / ${mib(RssTracker.kernelPeakBytes())}`,
        '',
        '',
      ],
    ]).replace(/^/gm, '  '),
  );
}

async function run(options: DeliveryBenchOptions, area: TempArea): Promise<void> {
  const log: Log = (line = '') => process.stdout.write(`${line}\n`);
  const rss = new RssTracker();
  const started = nowMs();
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  log(`Delivery benchmark (${options.quick ? 'quick' : 'full'} run)`);
  log(`  node ${process.version}, ${cpus().length} x ${cpu}`);
  log(
    `  records=${int(options.records)} of ${int(RECORD_BYTES)} B JSON, batches of ${int(options.batch)} (${options.format}), ` +
      `concurrency ${options.concurrency}; latency at ${int(options.rate)} records/s for ${options.seconds} s per mode`,
  );
  log(
    `  ingest server: main/sandbox/ingest-server.ts in a child process on loopback, fresh per run, no faults; the engine ` +
      `and the raw loop run in this process; outbox synchronous FULL (default)`,
  );
  log(`  temp: ${area.root}; load average at start (1/5/15 min): ${loadAverage()}`);

  log();
  log(
    `[1+2] throughput: ${int(options.records)} pre-seeded records through the engine, then the same batches (bodies, ` +
      `Idempotency-Keys, concurrency) by a raw got loop`,
  );
  rss.phase('throughput');
  const throughput = await runThroughputPhases(options, area);
  printThroughput(log, throughput);

  log();
  log(`[3] enqueue-to-ack latency at ${int(options.rate)} records/s, ${options.seconds} s per mode`);
  rss.phase('latency');
  const modes: LatencyMode[] = [
    { label: 'one record per request' },
    {
      label: `${options.format} batches of <= 50, default linger 200 ms`,
      batch: { format: options.format, maxRecords: 50, maxBytes: 1024 * 1024 },
    },
  ];
  const latency: LatencyFigures[] = [];
  for (const mode of modes) latency.push(await runLatencyMode(options, area, mode));
  printLatency(log, latency);

  log();
  log(
    '[encryption] outbox.encryption on vs off: lease + settle of the same records, the outbox part of delivery',
  );
  rss.phase('encryption');
  printEncryptionDrain(log, await runEncryptionPhase(area, Math.min(options.records, 50_000)));

  log();
  log(`Summary (${seconds(nowMs() - started)} total; load average at end (1/5/15 min): ${loadAverage()})`);
  rss.phase('end');
  printSummary(log, throughput, latency, rss);
}

process.exitCode = await benchMain(parseDeliveryOptions, deliveryUsage, run);
