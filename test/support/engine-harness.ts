// Runs a real Engine in-process on a temp data dir with one folder → HTTP connection, for integration tests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { afterEach } from 'vitest';
import { agentConfigSchema, type AgentConfigInput } from '../../main/config/schema.js';
import { Engine } from '../../main/engine/engine.js';
import type { AgentStatus } from '../../preload/contract/status.js';
import {
  startIngestServer,
  type IngestServer,
  type IngestServerOptions,
} from '../../main/sandbox/ingest-server.js';
import { waitFor } from './agent-process.js';
import { useTempDir } from './temp-dir.js';

export interface HarnessOptions {
  dataDir: string;
  inbox: string;
  url: string;
  outbox?: NonNullable<AgentConfigInput['outbox']>;
  /** Destination settings merged over the harness defaults (fast retries, a 1 s circuit breaker). */
  destination?: Record<string, unknown>;
  /** The secret store section of the config. */
  secrets?: AgentConfigInput['secrets'];
  /** Replaces the URL path after the ingest server's origin (default /ingest/it). */
  path?: string;
  /** Folder source settings merged over the harness defaults (e.g. records mode). */
  source?: Record<string, unknown>;
  /** The connection's mapping section. */
  mapping?: Record<string, unknown>;
  /** The connection's contract section. */
  contract?: Record<string, unknown>;
  /** Default: a silent logger. */
  logger?: Logger;
  /** Delivery waits for engine.startDelivery() (as `run` does until its console listens). */
  holdDelivery?: boolean;
}

export async function startEngine(options: HarnessOptions): Promise<Engine> {
  mkdirSync(options.inbox, { recursive: true });
  mkdirSync(options.dataDir, { recursive: true });
  const config = agentConfigSchema.parse({
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0, ...options.outbox },
    ...(options.secrets ? { secrets: options.secrets } : {}),
    connections: [
      {
        id: 'it',
        source: { type: 'folder', path: options.inbox, quietPeriodMs: 100, ...options.source },
        ...(options.mapping ? { mapping: options.mapping } : {}),
        ...(options.contract ? { contract: options.contract } : {}),
        destination: {
          type: 'http',
          url: `${options.url}${options.path ?? '/ingest/it'}`,
          retry: { baseMs: 20, capMs: 200 },
          circuitBreaker: { openMs: 1000, maxOpenMs: 1000 },
          ...options.destination,
        },
      },
    ],
  });
  return Engine.start({
    config,
    dataDir: options.dataDir,
    logger: options.logger ?? pino({ level: 'silent' }),
    version: 'test',
    ...(options.holdDelivery ? { holdDelivery: true } : {}),
  });
}

export function connectionOf(status: AgentStatus) {
  const connection = status.connections[0];
  if (!connection) throw new Error('no connection in status');
  return connection;
}

export function waitForStatus(
  engine: Engine,
  predicate: (s: AgentStatus) => boolean,
  what: string,
  timeoutMs = 15_000,
) {
  return waitFor(() => predicate(engine.status()), timeoutMs, what);
}

export const paths = (dir: string) => ({ dataDir: join(dir, 'data'), inbox: join(dir, 'inbox') });

/**
 * Per-test temp dir plus cleanup: every engine and ingest server a test starts through the harness is stopped
 * after it (Engine.stop is idempotent, so a test may stop and restart engines itself).
 */
export function useEngineHarness(prefix: string) {
  const tempDir = useTempDir({ prefix });
  const engines: Engine[] = [];
  const servers: IngestServer[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop(1000);
    for (const server of servers.splice(0)) await server.close();
  });
  return {
    paths: () => paths(tempDir()),
    async ingest(options?: IngestServerOptions): Promise<IngestServer> {
      const server = await startIngestServer(options);
      servers.push(server);
      return server;
    },
    async engine(options: HarnessOptions): Promise<Engine> {
      const engine = await startEngine(options);
      engines.push(engine);
      return engine;
    },
  };
}
