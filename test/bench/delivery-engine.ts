// Runs the agent's real Engine in this process on a temp data dir: one connection from an idle folder to the server.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { agentConfigSchema } from '../../main/config/schema.js';
import { outboxFile } from '../../main/shared/data-dir.js';
import { Engine } from '../../main/engine/engine.js';
import { Outbox } from '../../main/outbox/outbox.js';
import { BENCH_CONNECTION } from './delivery-records.js';

export interface BenchEngineOptions {
  dir: string;
  url: string;
  concurrency: number;
  /** Undefined: one record per request (format none). */
  batch?: { format: 'json-array' | 'ndjson'; maxRecords: number; maxBytes: number; lingerMs?: number };
}

export const benchPaths = (dir: string) => ({ dataDir: join(dir, 'data'), inbox: join(dir, 'inbox') });

/** The outbox the engine will use, opened as the agent opens it (FULL), for seeding before the engine starts. */
export function openBenchOutbox(dir: string): Outbox {
  const { dataDir } = benchPaths(dir);
  mkdirSync(dataDir, { recursive: true });
  return Outbox.open(outboxFile(dataDir), { synchronous: 'FULL', busyTimeoutMs: 5000 });
}

/** Default agent settings except what the benchmark varies; the outbox keeps its default FULL synchronous mode. */
export function startBenchEngine(options: BenchEngineOptions): Promise<Engine> {
  const { dataDir, inbox } = benchPaths(options.dir);
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(inbox, { recursive: true });
  const config = agentConfigSchema.parse({
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0 },
    connections: [
      {
        id: BENCH_CONNECTION,
        source: { type: 'folder', path: inbox },
        destination: {
          type: 'http',
          url: `${options.url}/ingest/${BENCH_CONNECTION}`,
          concurrency: options.concurrency,
          ...(options.batch ? { batch: options.batch } : {}),
        },
      },
    ],
  });
  return Engine.start({ config, dataDir, logger: pino({ level: 'silent' }), version: 'bench' });
}

/** Resolves when nothing of the bench connection is open any more; rejects when nothing moved for `stallMs`. */
export async function waitUntilDrained(engine: Engine, stallMs: number): Promise<void> {
  let last = Number.POSITIVE_INFINITY;
  let lastChange = Date.now();
  for (;;) {
    const { pending } = engine.outbox.counts(BENCH_CONNECTION);
    if (pending === 0) return;
    if (pending !== last) {
      last = pending;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      throw new Error(`delivery stalled: ${pending} records still open after ${stallMs} ms without progress`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
