// `integration-agent status`: the running agent's snapshot, or what the outbox holds when it is stopped.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AgentStatus } from '../../preload/contract/status.js';
import { isInstanceRunning } from '../engine/instance-lock.js';
import { Outbox } from '../outbox/outbox.js';
import { defaultDataDir, outboxFile, statusFile } from '../shared/data-dir.js';
import { CliError, exitCodes } from './cli-error.js';
import { formatStatus, type StoppedStatus } from './format-status.js';

export interface StatusOptions {
  dataDir?: string;
  json?: boolean;
}

function stoppedStatus(dataDir: string): StoppedStatus {
  const file = outboxFile(dataDir);
  if (!existsSync(file)) return { state: 'not-running', dataDir, connections: [] };
  const outbox = Outbox.open(file, { synchronous: 'NORMAL', busyTimeoutMs: 2000, readonly: true });
  try {
    const connections = outbox.counters.connections().map((id) => ({ id, ...outbox.counts(id) }));
    return { state: 'not-running', dataDir, connections };
  } finally {
    outbox.close();
  }
}

export function readStatus(options: StatusOptions): AgentStatus | StoppedStatus {
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  if (!existsSync(dataDir)) {
    throw new CliError(
      `No agent data directory at ${dataDir}. Fix: pass the --data-dir the agent runs with.`,
      exitCodes.dataDirUnusable,
    );
  }
  if (isInstanceRunning(dataDir) && existsSync(statusFile(dataDir))) {
    return JSON.parse(readFileSync(statusFile(dataDir), 'utf8')) as AgentStatus;
  }
  return stoppedStatus(dataDir);
}

export function printStatus(options: StatusOptions): void {
  const status = readStatus(options);
  process.stdout.write(
    options.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, Date.now()),
  );
}
