// Records-mode parse benchmark: rows/s and peak RSS for a generated CSV file, parsed (and keyed), not enqueued.
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  businessKeyOf,
  parseRecordBatches,
  parseRecords,
  recordFormatSchema,
  recordKey,
} from '../../connectors/sources/folder/records/index.js';
import { benchMain, loadAverage } from './bench-main.js';
import { parseCount } from './bench-options.js';
import { writeInvoiceCsv } from './invoice-csv.js';
import { int, mib, rate, seconds, table } from './format.js';
import { nowMs, RssTracker, yieldToEventLoop } from './measure.js';
import type { TempArea } from './temp-area.js';

interface RecordsBenchOptions {
  rows: number;
  tmpBase: string;
}

const usage = `Usage: node --import tsx test/bench/capture-records.ts [options]

  --rows N    rows in the generated CSV file  (default 1m, quick 100k; env RECORDS_BENCH_ROWS)
  --quick     smoke run: smaller file          (env RECORDS_BENCH_QUICK=1)
  --tmp DIR   where the file goes              (default os.tmpdir(); env RECORDS_BENCH_TMP)
  --help      this text`;

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): RecordsBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      quick: { type: 'boolean' },
      tmp: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? ['1', 'true', 'yes'].includes((env.RECORDS_BENCH_QUICK ?? '').toLowerCase());
  const rowsText = values.rows ?? env.RECORDS_BENCH_ROWS;
  const rows = rowsText ? parseCount(rowsText, 'rows') : quick ? 100_000 : 1_000_000;
  return { rows, tmpBase: values.tmp ?? env.RECORDS_BENCH_TMP ?? tmpdir() };
}

interface PhaseFigures {
  name: string;
  rows: number;
  ms: number;
}

async function run(options: RecordsBenchOptions, area: TempArea): Promise<void> {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  const rss = new RssTracker();
  const csv = recordFormatSchema.parse({ format: 'csv', keyColumn: 'invoice_no' });
  const path = join(area.dir('records'), 'invoices.csv');
  log(`Records-mode parse benchmark (${process.version}); load average (1/5/15 min): ${loadAverage()}`);
  rss.phase('generate');
  const bytes = await writeInvoiceCsv(path, options.rows);
  log(
    `  ${int(options.rows)} rows, ${mib(bytes)} CSV (CRLF, 10% quoted fields, 1% multi-line) in ${area.root}`,
  );
  await yieldToEventLoop();

  const phases: PhaseFigures[] = [];
  const measure = async (name: string, body: () => Promise<number>) => {
    rss.phase(name);
    const started = nowMs();
    const rows = await body();
    phases.push({ name, rows, ms: nowMs() - started });
    if (rows !== options.rows) throw new Error(`${name}: parsed ${rows} rows, expected ${options.rows}`);
  };

  await measure('parseRecordBatches', async () => {
    let rows = 0;
    for await (const batch of parseRecordBatches(createReadStream(path), csv)) {
      for (const event of batch) if (event.kind === 'record') rows++;
      rss.sample();
    }
    return rows;
  });
  await measure('parseRecords (one event at a time)', async () => {
    let rows = 0;
    for await (const event of parseRecords(createReadStream(path), csv)) {
      if (event.kind === 'record') rows++;
      if (rows % 10_000 === 0) rss.sample();
    }
    return rows;
  });
  await measure('batches + recordKey(key column) + business key + JSON payload', async () => {
    let rows = 0;
    let payloadBytes = 0;
    for await (const batch of parseRecordBatches(createReadStream(path), csv)) {
      for (const event of batch) {
        if (event.kind !== 'record') continue;
        const key = recordKey('f'.repeat(64), event.record, csv.keyColumn);
        payloadBytes += Buffer.byteLength(JSON.stringify(event.record.value)) + key.length;
        payloadBytes += businessKeyOf(event.record, 'invoice_no')?.length ?? 0;
        rows++;
      }
      rss.sample();
    }
    return payloadBytes > 0 ? rows : 0;
  });
  rss.phase('end');

  log();
  log(
    table([
      ['phase', 'rows/s', 'MiB/s', 'time', 'peak RSS (sampled)'],
      ...phases.map((p) => [
        p.name,
        rate((p.rows / p.ms) * 1000),
        ((bytes / 1024 / 1024 / p.ms) * 1000).toFixed(1),
        seconds(p.ms),
        mib(rss.phasePeaks.get(p.name) ?? 0),
      ]),
    ]).replace(/^/gm, '  '),
  );
  log(
    `  peak RSS of the process (kernel high-water, includes generating the file): ${mib(RssTracker.kernelPeakBytes())}`,
  );
}

process.exitCode = await benchMain(parseOptions, usage, run);
