// Runs the built agent (dist/, as installed) on one records-mode folder and measures a file's capture from outside:
// rows/s into its outbox and the process's peak RSS (the kernel's high-water mark), with delivery held back.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { outboxFile } from '../../main/shared/data-dir.js';
import { nowMs } from './measure.js';
import type { TempArea } from './temp-area.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repoRoot, 'dist', 'main', 'cli.js');

export interface AgentCaptureFigures {
  rowsPerSecond: number;
  elapsedMs: number;
  /** VmRSS of the idle agent before the file arrived. */
  idleRssBytes: number;
  /** VmHWM: the most the agent process ever had resident, captured file included. */
  peakRssBytes: number;
}

/** /proc/<pid>/status fields in bytes (Linux). */
function procMemory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** A one-hour sending window that is closed now (UTC), so the dispatcher stays idle while the outbox fills. */
function closedWindow(): { timeZone: string; windows: { from: string; to: string }[] } {
  const hour = (new Date().getUTCHours() + 2) % 24;
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return { timeZone: 'UTC', windows: [{ from: hh(hour), to: hour === 23 ? '24:00' : hh(hour + 1) }] };
}

async function until(what: string, timeoutMs: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Moves `csvFile` (already written, old mtime) into the watched folder of a running agent and waits for its rows. */
export async function captureInAgent(
  area: TempArea,
  csvFile: string,
  rows: number,
): Promise<AgentCaptureFigures> {
  if (!existsSync(cli))
    throw new Error(`${cli} is missing: run npm run build first (npm run bench:capture does)`);
  const dataDir = area.dir('agent-data');
  const inbox = area.dir('agent-inbox');
  const configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      configVersion: 1,
      logging: { level: 'warn' },
      connections: [
        {
          id: 'bench',
          source: { type: 'folder', path: inbox, quietPeriodMs: 100, records: { format: 'csv' } },
          destination: { type: 'http', url: 'http://127.0.0.1:9/ingest', sendingWindows: closedWindow() },
        },
      ],
    }),
  );
  const agent = spawn(process.execPath, [cli, 'run', '--config', configFile, '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  agent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => agent.once('exit', () => resolve()));
  const stop = area.track(() => agent.kill('SIGKILL'));
  try {
    const statusFile = join(dataDir, 'status.json');
    await until('the agent to start', 30_000, () => {
      if (agent.exitCode !== null) throw new Error(`the agent exited: ${stderr}`);
      return existsSync(statusFile); // written once the engine runs
    });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // settle after start-up
    const idleRssBytes = procMemory(agent.pid as number).rss;
    const started = nowMs();
    renameSync(csvFile, join(inbox, 'invoices.csv'));
    // The file's checkpoint loses its resume point in the transaction that stores the last batch: that is "done".
    const outbox = new Database(outboxFile(dataDir), { readonly: true });
    const closeOutbox = area.track(() => outbox.close());
    const checkpoint = outbox
      .prepare(`SELECT value FROM checkpoints WHERE source = 'bench' AND key = ?`)
      .pluck();
    await until(`${rows} rows in the outbox`, 30 * 60_000, () => {
      const state = checkpoint.get('file:invoices.csv') as string | undefined;
      return state !== undefined && !state.includes('"partial"');
    });
    const elapsedMs = nowMs() - started;
    const stored = outbox
      .prepare(`SELECT count(*) FROM records WHERE connection = 'bench'`)
      .pluck()
      .get() as number;
    closeOutbox();
    const peakRssBytes = procMemory(agent.pid as number).hwm;
    agent.kill('SIGTERM');
    await exited;
    stop();
    if (stored !== rows) throw new Error(`the agent stored ${stored} rows, expected ${rows}`);
    return { rowsPerSecond: (rows / elapsedMs) * 1000, elapsedMs, idleRssBytes, peakRssBytes };
  } catch (error) {
    agent.kill('SIGKILL');
    throw error;
  }
}
