// Folder records-mode benchmark: a generated CSV captured by the running agent into its outbox (rows/s, peak RSS)
// against the raw enqueue rate of bench:outbox measured in the same run; and file-stable → in-outbox latency.
import { utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { ChangeBatch } from '../../connectors/core/change.js';
import type { SourceContext } from '../../connectors/core/source.js';
import { folderSourceSchema } from '../../connectors/sources/folder/config.js';
import { FolderSource } from '../../connectors/sources/folder/source.js';
import type { Outbox } from '../../main/outbox/outbox.js';
import { benchMain, loadAverage } from './bench-main.js';
import { parseCount } from './bench-options.js';
import { ChangeFactory } from './change-factory.js';
import { ENQUEUE_BATCH, ENQUEUE_ORDERING_KEYS } from './enqueue-phase.js';
import { int, mib, ms, rate, ratio, seconds, table } from './format.js';
import { writeInvoiceCsv } from './invoice-csv.js';
import { captureInAgent } from './capture-agent.js';
import { mappingVsPlain } from './capture-mapping.js';
import { distribution, nowMs } from './measure.js';
import { CONNECTION, openBenchOutbox } from './outbox-driver.js';
import { RawTable, readPragmas } from './raw-table.js';
import type { TempArea } from './temp-area.js';

interface FolderBenchOptions {
  rows: number;
  referenceRecords: number;
  files: number;
  mappingRows: number;
  quietMs: number;
  keyColumn: string | undefined;
  tmpBase: string;
}

const usage = `Usage: node --import tsx test/bench/capture-folder.ts [options]

  --rows N        rows in the CSV captured in records mode   (default 1m, quick 100k; env FOLDER_BENCH_ROWS)
  --reference N   records for the raw enqueue reference      (default 100k, quick 20k)
  --files N       small files for the latency figure          (default 20, quick 5)
  --mapping-rows N  rows of the plain vs mapped CSV runs      (default 100k, quick 20k)
  --quiet-ms N    the source's quiet period                   (default 2000, the config default)
  --key-column C  key records by this column, not position    (default: position)
  --quick         smoke run: smaller defaults                 (env FOLDER_BENCH_QUICK=1)
  --tmp DIR       where the files and databases go            (default os.tmpdir())
  --help          this text`;

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): FolderBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      reference: { type: 'string' },
      files: { type: 'string' },
      'mapping-rows': { type: 'string' },
      'quiet-ms': { type: 'string' },
      'key-column': { type: 'string' },
      quick: { type: 'boolean' },
      tmp: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? ['1', 'true', 'yes'].includes((env.FOLDER_BENCH_QUICK ?? '').toLowerCase());
  const rowsText = values.rows ?? env.FOLDER_BENCH_ROWS;
  return {
    rows: rowsText ? parseCount(rowsText, 'rows') : quick ? 100_000 : 1_000_000,
    referenceRecords: values.reference ? parseCount(values.reference, 'reference') : quick ? 20_000 : 100_000,
    files: values.files ? parseCount(values.files, 'files') : quick ? 5 : 20,
    mappingRows: values['mapping-rows']
      ? parseCount(values['mapping-rows'], 'mapping-rows')
      : quick
        ? 20_000
        : 100_000,
    quietMs: values['quiet-ms'] ? parseCount(values['quiet-ms'], 'quiet-ms') : 2000,
    keyColumn: values['key-column'],
    tmpBase: values.tmp ?? tmpdir(),
  };
}

/** The raw enqueue rate exactly as bench:outbox measures its raw side: 1 KB random rows, 1,000 per transaction. */
function rawEnqueueRate(area: TempArea, records: number, outbox: Outbox): number {
  const raw = new RawTable(join(area.dir('raw'), 'raw.db'), readPragmas(outbox.db));
  const close = area.track(() => raw.close());
  const factory = new ChangeFactory({ orderingKeys: ENQUEUE_ORDERING_KEYS, keyStyle: 'random' });
  for (let i = 0; i < 10; i++) raw.insertBatch(CONNECTION, factory.batch(ENQUEUE_BATCH), Date.now()); // warm-up
  let written = 0;
  let timed = 0;
  while (written < records) {
    const batch = factory.batch(Math.min(ENQUEUE_BATCH, records - written));
    const t0 = nowMs();
    raw.insertBatch(CONNECTION, batch, Date.now());
    timed += nowMs() - t0;
    written += batch.length;
  }
  close();
  return (written / timed) * 1000;
}

/** A real folder source on `dir` whose emits go to the outbox; `onEmit` sees each stored batch. */
async function startSource(
  dir: string,
  outbox: Outbox,
  options: FolderBenchOptions,
  quietPeriodMs: number,
  onEmit: (batch: ChangeBatch) => void,
): Promise<FolderSource> {
  const config = folderSourceSchema.parse({
    type: 'folder',
    path: dir,
    quietPeriodMs,
    records: { format: 'csv', ...(options.keyColumn ? { keyColumn: options.keyColumn } : {}) },
  });
  const source = new FolderSource(config);
  const emit = (batch: ChangeBatch) => {
    const result = outbox.enqueue(CONNECTION, batch);
    onEmit(batch);
    return result;
  };
  const context: SourceContext = {
    emit,
    emitShaped: (batch) => Promise.resolve(emit(batch)),
    checkpoint: (key) => outbox.checkpoint(CONNECTION, key),
    checkpoints: () => outbox.checkpoints(CONNECTION),
    logger: pino({ level: 'silent' }),
    reportHealth: () => undefined,
    deliveryStates: () => new Map(),
  };
  await source.start(context);
  return source;
}

/** True when the batch carries a file's final checkpoint (all its records stored). */
function completes(batch: ChangeBatch): string | undefined {
  for (const c of batch.checkpoints) {
    if (c.value !== null && c.key.startsWith('file:') && !c.value.includes('"partial"'))
      return c.key.slice(5);
  }
  return undefined;
}

async function captureLargeFile(area: TempArea, options: FolderBenchOptions) {
  const path = join(area.dir('export'), 'invoices.csv');
  const bytes = await writeInvoiceCsv(path, options.rows);
  const old = new Date(Date.now() - 60_000);
  utimesSync(path, old, old); // already stable: the figure is the capture, not the quiet period
  const outbox = openBenchOutbox(join(area.dir('reference-outbox'), 'outbox.db'));
  const reference = rawEnqueueRate(area, options.referenceRecords, outbox);
  outbox.close();
  const agent = await captureInAgent(area, path, options.rows);
  return { bytes, reference, agent };
}

/** Drops small files a quarter second apart; latency = records stored − (last write + quiet period). */
async function stableToOutbox(area: TempArea, options: FolderBenchOptions): Promise<number[]> {
  const dir = area.dir('latency-inbox');
  const outbox = openBenchOutbox(join(area.dir('latency-outbox'), 'outbox.db'));
  const closeOutbox = area.track(() => outbox.close());
  const stableAt = new Map<string, number>();
  const latencies: number[] = [];
  const source = await startSource(dir, outbox, options, options.quietMs, (batch) => {
    const file = completes(batch);
    const stable = file === undefined ? undefined : stableAt.get(file);
    if (stable !== undefined) latencies.push(Date.now() - stable);
  });
  const rows = Array.from({ length: 1000 }, (_, i) => `INV-${i},C${i},Customer ${i},EUR,${i}.00`).join('\n');
  for (let i = 0; i < options.files; i++) {
    const name = `export-${i}.csv`;
    writeFileSync(join(dir, name), `invoice_no,customer_no,customer,currency,amount\n${rows}\n`);
    stableAt.set(name, Date.now() + options.quietMs);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const deadline = Date.now() + options.quietMs + 30_000;
  while (latencies.length < options.files && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await source.stop();
  closeOutbox();
  if (latencies.length < options.files)
    throw new Error(`only ${latencies.length} of ${options.files} files arrived`);
  return latencies;
}

async function run(options: FolderBenchOptions, area: TempArea): Promise<void> {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  log(
    `Folder records-mode capture benchmark (${process.version}); load average (1/5/15 min): ${loadAverage()}`,
  );
  const big = await captureLargeFile(area, options);
  const latencies = distribution(await stableToOutbox(area, options));
  const mapping = await mappingVsPlain(area, options.mappingRows);
  log(
    `  ${int(options.rows)}-row CSV (${mib(big.bytes)}) dropped into the running agent (dist/, records mode, keys by ` +
      `file version + position, outbox synchronous=FULL, delivery held by a closed sending window), in ${area.root}`,
  );
  log();
  log(
    table([
      ['figure', 'value', 'target'],
      ['raw enqueue (bench:outbox raw side, same run)', rate(big.reference), ''],
      [
        'records mode CSV → outbox (agent process)',
        `${rate(big.agent.rowsPerSecond)} (${seconds(big.agent.elapsedMs)})`,
        '',
      ],
      ['ratio to raw enqueue', ratio(big.agent.rowsPerSecond / big.reference), '≥ 0.3×'],
      ['agent peak RSS (kernel high-water, whole run)', mib(big.agent.peakRssBytes), '< 150 MiB'],
      ['  agent RSS when idle, before the file', mib(big.agent.idleRssBytes), ''],
      [
        `file stable → records in outbox, p50 (${options.files} files × 1,000 rows)`,
        ms(latencies.median),
        '',
      ],
      ['  p90 / max', `${ms(latencies.p90)} / ${ms(latencies.max)}`, ''],
      [`de-DE CSV, 10 fields, plain (in-process, ${int(options.mappingRows)} rows)`, rate(mapping.plain), ''],
      ['  same file with a 10-field mapping and a contract check', rate(mapping.mapped), ''],
      ['  ratio mapped to plain', ratio(mapping.mapped / mapping.plain), '≥ 0.8×'],
    ]).replace(/^/gm, '  '),
  );
  log(
    `  latency: quiet period ${ms(options.quietMs)}, measured from last write + quiet period, in-process source`,
  );
  log(`figure csv-vs-raw = ${(big.agent.rowsPerSecond / big.reference).toFixed(3)}`);
  log(`figure csv-peak-rss-mib = ${(big.agent.peakRssBytes / 2 ** 20).toFixed(1)}`);
  log(`figure mapping-vs-plain = ${(mapping.mapped / mapping.plain).toFixed(3)}`);
  log(`figure mapping-rows-per-s = ${mapping.mapped.toFixed(0)}`);
  log(`figure plain-rows-per-s = ${mapping.plain.toFixed(0)}`);
}

process.exitCode = await benchMain(parseOptions, usage, run);
