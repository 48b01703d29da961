// bench:start: the agent at rest (sandbox, nothing to do: RSS and CPU over a minute) and its start with a backlog
// (files waiting in a folder + records in the outbox): time until `run` says running and the console answers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Outbox } from '../../main/outbox/outbox.js';
import { outboxFile } from '../../main/shared/data-dir.js';
import { cpuMsOf, rssOf, spawnAgent, stopChild, waitForLine } from './agent-process.js';
import { benchMain, loadAverage } from './bench-main.js';
import { parseCount } from './bench-options.js';
import { BenchServer } from './delivery-server.js';
import { int, mib, seconds } from './format.js';
import { nowMs } from './measure.js';
import type { TempArea } from './temp-area.js';

interface StartOptions {
  records: number;
  files: number;
  idleSeconds: number;
  tmpBase: string;
}

const usage = `Usage: npm run bench:start [-- options]

  --records N       records waiting in the outbox at start   (default 1000000; env START_BENCH_RECORDS)
  --files N         files waiting in the watched folder       (default 5000; env START_BENCH_FILES)
  --idle-seconds N  how long the idle agent is watched        (default 60; env START_BENCH_IDLE_SECONDS)
  --tmp DIR         where the data dirs go                    (default os.tmpdir())
  --help            this text`;

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      records: { type: 'string' },
      files: { type: 'string' },
      'idle-seconds': { type: 'string' },
      tmp: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  return {
    records: parseCount(values.records ?? env.START_BENCH_RECORDS ?? '1000000', '--records'),
    files: parseCount(values.files ?? env.START_BENCH_FILES ?? '5000', '--files'),
    idleSeconds: parseCount(values['idle-seconds'] ?? env.START_BENCH_IDLE_SECONDS ?? '60', '--idle-seconds'),
    tmpBase: values.tmp ?? (env.TMPDIR || '/tmp'),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The built-in sandbox (no config), left alone: what it costs to keep an agent running with nothing to do. */
async function idle(
  area: TempArea,
  options: StartOptions,
): Promise<{ rss: number; peakRss: number; cpuPct: number }> {
  const cwd = area.dir('idle-cwd'); // no config file to find here: the sandbox runs
  const child = spawnAgent(['run', '--data-dir', area.dir('idle-data')], { cwd });
  area.track(() => child.kill('SIGKILL'));
  try {
    await waitForLine(child, /running \(pid/, 'the idle agent');
    await sleep(5000); // start-up work (first status, retention pass) is not idling
    const pid = child.pid ?? 0;
    const cpu0 = cpuMsOf(pid);
    const t0 = nowMs();
    const samples: number[] = [];
    while (nowMs() - t0 < options.idleSeconds * 1000) {
      await sleep(1000);
      samples.push(rssOf(pid));
    }
    const cpuPct = ((cpuMsOf(pid) - cpu0) / (nowMs() - t0)) * 100;
    // What an idle agent holds is the level it settles at (the median second); the peak is start-up's young
    // generation before the agent, once quiet, has V8 shrink it (main/observability/idle-memory-trim.ts).
    const sorted = [...samples].sort((a, b) => a - b);
    return { rss: sorted[Math.floor(sorted.length / 2)] ?? 0, peakRss: sorted.at(-1) ?? 0, cpuPct };
  } finally {
    await stopChild(child);
  }
}

/** Outbox records of the folder connection, written straight into the data dir before the agent starts. */
function seedOutbox(dataDir: string, records: number): void {
  const outbox = Outbox.open(outboxFile(dataDir), { synchronous: 'NORMAL', busyTimeoutMs: 1000 });
  try {
    const body = Buffer.from(JSON.stringify({ invoice: 0, note: 'x'.repeat(150) }));
    for (let i = 0; i < records; i += 10_000) {
      const changes = [];
      for (let j = i; j < Math.min(records, i + 10_000); j += 1)
        changes.push({
          idempotencyKey: `seed-${j}`,
          orderingKey: `key-${j % 1000}`,
          contentType: 'application/json',
          payload: body,
        });
      outbox.enqueue('files', { changes, checkpoints: [] });
    }
  } finally {
    outbox.close();
  }
}

async function startWithBacklog(area: TempArea, options: StartOptions): Promise<number> {
  const server = await BenchServer.start();
  const dataDir = area.dir('backlog-data');
  const inbox = area.dir('backlog-inbox');
  const seeded = nowMs();
  seedOutbox(dataDir, options.records);
  const filler = 'x'.repeat(900);
  for (let i = 0; i < options.files; i += 1)
    writeFileSync(join(inbox, `invoice-${i}.json`), JSON.stringify({ invoice: i, note: filler }));
  process.stdout.write(
    `  seeded ${int(options.records)} records and ${int(options.files)} files in ${seconds(nowMs() - seeded)} (not timed)\n`,
  );
  const configFile = join(area.root, 'backlog.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      configVersion: 1,
      logging: { level: 'warn' },
      connections: [
        {
          id: 'files',
          source: { type: 'folder', path: inbox, afterDelivery: 'delete' },
          destination: { type: 'http', url: `${server.url}/ingest/agent`, batch: { format: 'json-array' } },
        },
      ],
    }),
  );
  const started = nowMs();
  const child = spawnAgent(['run', '--config', configFile, '--data-dir', dataDir]);
  area.track(() => child.kill('SIGKILL'));
  try {
    // One wait for both lines: they often arrive in the same chunk of output.
    const [, url] = await waitForLine(
      child,
      /running \(pid[\s\S]*?console: (https?:\/\/\S+)/,
      'the agent with a backlog',
    );
    const running = nowMs() - started;
    const answer = await fetch(url as string);
    await answer.arrayBuffer();
    const answered = nowMs() - started;
    process.stdout.write(
      `  run said running (and where its console is) after ${seconds(running)}; the console answered (HTTP ${answer.status}) after ${seconds(answered)}\n`,
    );
    return answered / 1000;
  } finally {
    await stopChild(child);
    await server.close();
  }
}

async function run(options: StartOptions, area: TempArea): Promise<void> {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  log(`bench:start: load average ${loadAverage()}`);
  log(`[1] idle sandbox agent, nothing to do, watched for ${options.idleSeconds} s`);
  const rest = await idle(area, options);
  log(
    `  RSS ${mib(rest.rss)} (median of one sample a second; peak ${mib(rest.peakRss)}), ` +
      `CPU ${rest.cpuPct.toFixed(2)} % of one core`,
  );
  log(`figure idle-rss-mib = ${(rest.rss / 1024 / 1024).toFixed(1)}`);
  log(`figure idle-cpu-pct = ${rest.cpuPct.toFixed(2)}`);
  log(`[2] start with ${int(options.files)} files waiting and ${int(options.records)} records in the outbox`);
  const startS = await startWithBacklog(area, options);
  log(`figure start-with-backlog-s = ${startS.toFixed(2)}`);
}

process.exitCode = await benchMain(parseOptions, usage, run);
