// bench:files: N JSON files dropped at once into a watched folder, delivered to a loopback API and deleted after the
// ack. The agent (durable: outbox, synchronous FULL) against a plain non-durable pipeline, in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repoRoot as root, rssOf, spawnAgent, stopChild as stop, waitForLine } from './agent-process.js';
import { benchMain, loadAverage } from './bench-main.js';
import { BenchServer } from './delivery-server.js';
import { int, mib, rate, ratio, seconds, table } from './format.js';
import { parseCount } from './bench-options.js';
import { nowMs } from './measure.js';
import type { TempArea } from './temp-area.js';

interface FilesOptions {
  files: number;
  concurrency: number;
  tmpBase: string;
}

const usage = `Usage: npm run bench:files [-- options]

  --files N        JSON files of 1 KB dropped at once   (default 5000; env FILES_BENCH_FILES)
  --concurrency N  requests in flight, agent and plain pipeline alike (default 4, the agent's default)
  --tmp DIR        where the folders and the outbox go (default os.tmpdir())
  env FILES_BENCH_PROFILE=DIR   write a CPU profile of each agent run into DIR
  --help           this text`;

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): FilesOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string' },
      concurrency: { type: 'string' },
      tmp: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  return {
    files: parseCount(values.files ?? env.FILES_BENCH_FILES ?? '5000', '--files'),
    concurrency: parseCount(values.concurrency ?? '4', '--concurrency'),
    tmpBase: values.tmp ?? tmpdir(),
  };
}

interface RunResult {
  label: string;
  ms: number;
  rate: number;
  peakRssBytes: number;
  requests: number;
  items: number;
}

/** Writes the files next to the inbox, then renames them in at once: the drop, as an export tool makes it. */
function stage(area: TempArea, label: string, count: number): { dir: string; names: string[] } {
  const dir = area.dir(`staging-${label}`);
  const names: string[] = [];
  const filler = 'x'.repeat(900);
  for (let i = 0; i < count; i += 1) {
    const name = `invoice-${String(i).padStart(6, '0')}.json`;
    writeFileSync(join(dir, name), JSON.stringify({ invoice: i, customer: `C-${i % 97}`, note: filler }));
    names.push(name);
  }
  return { dir, names };
}

async function measure(
  label: string,
  child: ChildProcess,
  inbox: string,
  staged: { dir: string; names: string[] },
  server: BenchServer,
): Promise<RunResult> {
  let peakRssBytes = 0;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, rssOf(child.pid ?? 0))), 100);
  const started = nowMs();
  for (const name of staged.names) renameSync(join(staged.dir, name), join(inbox, name));
  while (readdirSync(inbox).some((name) => !name.startsWith('.'))) {
    if (child.exitCode !== null) throw new Error(`${label} exited before the files were delivered`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const elapsed = nowMs() - started;
  clearInterval(sampler);
  const summary = await server.summary();
  return {
    label,
    ms: elapsed,
    rate: (staged.names.length * 1000) / elapsed,
    peakRssBytes,
    requests: summary.requests,
    items: summary.items,
  };
}

async function runPlain(area: TempArea, options: FilesOptions): Promise<RunResult> {
  const server = await BenchServer.start();
  const inbox = area.dir('inbox-plain');
  const staged = stage(area, 'plain', options.files);
  const script = fileURLToPath(new URL('./files-plain-pipeline.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, inbox, `${server.url}/ingest/plain`, String(options.concurrency)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  area.track(() => child.kill('SIGKILL'));
  try {
    await waitForLine(child, /ready/, 'the plain pipeline');
    return await measure('plain pipeline (watch → read → POST → unlink)', child, inbox, staged, server);
  } finally {
    await stop(child);
    await server.close();
  }
}

async function runAgent(
  area: TempArea,
  options: FilesOptions,
  label: string,
  batch: 'none' | 'json-array',
): Promise<RunResult> {
  const server = await BenchServer.start();
  const inbox = area.dir(`inbox-${batch}`);
  const dataDir = area.dir(`data-${batch}`);
  const staged = stage(area, batch, options.files);
  const configFile = join(area.root, `agent-${batch}.json`);
  const config = {
    configVersion: 1,
    outbox: { synchronous: 'FULL' },
    logging: { level: 'warn' },
    connections: [
      {
        id: 'files',
        source: { type: 'folder', path: inbox, afterDelivery: 'delete' },
        destination: {
          type: 'http',
          url: `${server.url}/ingest/agent`,
          concurrency: options.concurrency,
          batch: { format: batch },
        },
      },
    ],
  };
  writeFileSync(configFile, JSON.stringify(config));
  // FILES_BENCH_PROFILE=DIR: a CPU profile of each agent run goes there (open it in Chrome DevTools).
  const profile = process.env.FILES_BENCH_PROFILE;
  const child = spawnAgent(['run', '--config', configFile, '--data-dir', dataDir], {
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
  });
  area.track(() => child.kill('SIGKILL'));
  try {
    await waitForLine(child, /running \(pid/, 'the agent');
    return await measure(label, child, inbox, staged, server);
  } finally {
    await stop(child);
    await server.close();
  }
}

async function run(options: FilesOptions, area: TempArea): Promise<void> {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  log(`bench:files: ${int(options.files)} JSON files of about 1 KB dropped at once, afterDelivery: delete,`);
  log(`default quiet period, ${options.concurrency} requests in flight; load average ${loadAverage()}`);
  const plain = await runPlain(area, options);
  const single = await runAgent(area, options, 'agent, one file per request (synchronous FULL)', 'none');
  const batched = await runAgent(area, options, 'agent, JSON-array batches (defaults)', 'json-array');
  log(
    table([
      ['', 'files/s', 'wall (drop → last delete)', 'requests', 'records applied', 'peak RSS'],
      ...[plain, single, batched].map((r) => [
        r.label,
        rate(r.rate),
        seconds(r.ms),
        int(r.requests),
        int(r.items),
        mib(r.peakRssBytes),
      ]),
    ]).replace(/^/gm, '  '),
  );
  log(
    '  the agent waits for the quiet period (2 s by default) before it takes a file; the plain pipeline does not',
  );
  log(`  agent single / plain = ${ratio(single.rate / plain.rate)}   (target >= 0.50)`);
  log(`  agent batched / plain = ${ratio(batched.rate / plain.rate)}   (target >= 10)`);
  log(`figure files-single-vs-plain = ${(single.rate / plain.rate).toFixed(3)}`);
  log(`figure files-batched-vs-plain = ${(batched.rate / plain.rate).toFixed(3)}`);
  log(`figure files-agent-peak-rss-mib = ${(single.peakRssBytes / 1024 / 1024).toFixed(1)}`);
}

process.exitCode = await benchMain(parseOptions, usage, run);
