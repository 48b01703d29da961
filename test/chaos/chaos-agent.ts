// The chaos test's agent: its config file, and a runner that starts, SIGKILLs and stops the real agent process.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logDir, statusFile } from '../../main/shared/data-dir.js';
import type { AgentStatus } from '../../preload/contract/status.js';
import { spawnAgent, type AgentProcess } from '../support/agent-process.js';

export type BatchFormat = 'json-array' | 'ndjson';

export interface ChaosConfig {
  connection: string;
  inbox: string;
  url: string;
  format: BatchFormat;
  maxRecords: number;
  concurrency: number;
  timeouts: { connectMs: number; responseMs: number; totalMs: number };
  retry: { baseMs: number; capMs: number };
}

/**
 * A JSON config: one connection (an empty folder source) delivering batches to the ingest server. The circuit breaker
 * stays on, with open periods short enough for the test's budget (the default first one is 30 s).
 */
export function writeChaosConfig(file: string, c: ChaosConfig): void {
  const config = {
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0 },
    logging: { level: 'warn' },
    connections: [
      {
        id: c.connection,
        source: { type: 'folder', path: c.inbox, quietPeriodMs: 100 },
        destination: {
          type: 'http',
          url: `${c.url}/ingest/${c.connection}`,
          concurrency: c.concurrency,
          leaseMs: 5000,
          timeouts: c.timeouts,
          retry: c.retry,
          batch: { format: c.format, maxRecords: c.maxRecords, maxBytes: 1024 * 1024, lingerMs: 20 },
          circuitBreaker: { openMs: 1000, maxOpenMs: 2000 },
        },
      },
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
}

/** Starts, kills and stops the agent process; at most one runs at a time. */
export class AgentRunner {
  private agent: AgentProcess | undefined;
  kills = 0;
  starts = 0;

  constructor(
    private readonly configFile: string,
    private readonly dataDir: string,
  ) {}

  async start(): Promise<void> {
    if (this.agent) throw new Error('AgentRunner.start: an agent is already running');
    this.agent = spawnAgent(['run', '--config', this.configFile, '--data-dir', this.dataDir]);
    this.starts += 1;
    await this.agent.waitForOutput(/running \(pid/, 30_000);
  }

  /** SIGKILL: no shutdown code runs, in-flight requests and leases die with the process. */
  async kill(): Promise<void> {
    const agent = this.agent;
    if (!agent) return;
    this.agent = undefined;
    agent.kill('SIGKILL');
    await agent.exited;
    this.kills += 1;
  }

  /** SIGTERM and the exit code; the agent's output for assertions. */
  async stop(): Promise<{ code: number | null; output: string }> {
    const agent = this.agent;
    if (!agent) throw new Error('AgentRunner.stop: no agent is running');
    this.agent = undefined;
    agent.kill('SIGTERM');
    const code = await agent.exited;
    return { code, output: agent.output() };
  }

  output(): string {
    return this.agent?.output() ?? '';
  }

  /** The running agent's last published status, or undefined before it wrote one. */
  status(): AgentStatus | undefined {
    const pid = this.agent?.child.pid;
    try {
      const status = JSON.parse(readFileSync(statusFile(this.dataDir), 'utf8')) as AgentStatus;
      return status.pid === pid ? status : undefined;
    } catch {
      return undefined;
    }
  }

  /** For afterAll: never leaves a process behind, whatever happened. */
  async dispose(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    if (!agent) return;
    agent.kill('SIGKILL');
    await agent.exited;
  }
}

/** The agent's log lines at level error (50) or above, from every (rotated) log file in the data dir. */
export function errorLogLines(dataDir: string): string[] {
  const dir = logDir(dataDir);
  return readdirSync(dir)
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => {
      try {
        return (JSON.parse(line) as { level?: number }).level! >= 50;
      } catch {
        return false;
      }
    });
}
