// The outbox's integrity check (SQLite quick_check), inline or on a worker thread with its own read-only connection.
import type { Database } from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Problems quick_check reported (at most three), or undefined when the file is healthy. */
export type IntegrityFinding = string | undefined;

/** What a check after open came to; 'not-run': it could not read the file at all (the reason says why). */
export type IntegrityOutcome =
  { kind: 'healthy' } | { kind: 'damaged'; reason: string } | { kind: 'not-run'; reason: string };

function summarise(lines: readonly string[]): IntegrityFinding {
  const problems = lines.filter((line) => line !== 'ok').map((line) => line.replace(/\s*\n\s*/g, ' '));
  return problems.length > 0 ? problems.slice(0, 3).join('; ') : undefined;
}

/** On the calling thread: reads every page, so it costs about a second per 400 MB (warm cache). */
export function checkIntegrity(db: Database): IntegrityFinding {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  return summarise(rows.map((r) => r.quick_check));
}

// CommonJS source of the worker: opens the file read-only (a WAL snapshot; the agent keeps writing) and checks it.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  parentPort.postMessage(db.pragma('quick_check').map((row) => row.quick_check));
} finally {
  db.close();
}`;

export interface BackgroundCheck {
  /** Resolves with what the check found; rejects if it could not run at all (e.g. the file is gone). */
  finding: Promise<IntegrityFinding>;
  /** Ends the check early (the outbox closes); `finding` then never settles. */
  stop(): Promise<void>;
}

/** quick_check on a worker thread: the agent runs meanwhile (two cores: the check costs the event loop nothing). */
export function checkIntegrityInBackground(file: string): BackgroundCheck {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, { eval: true, workerData: { file, sqlite } });
  worker.unref(); // never what keeps the process alive
  let stopped = false;
  const finding = new Promise<IntegrityFinding>((resolve, reject) => {
    worker.once('message', (lines: string[]) => resolve(summarise(lines)));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!stopped) reject(new Error(`the integrity check ended early (exit code ${code})`));
    });
  });
  return {
    finding,
    async stop() {
      stopped = true;
      await worker.terminate();
    },
  };
}
