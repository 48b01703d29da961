// Hosts one agent on a data dir: lock, logger, sandbox when unconfigured, engine, observability; used by the CLI and the Electron shell.
import { mkdirSync } from 'node:fs';
import type { LevelWithSilent } from 'pino';
import type { AgentConfig } from '../config/schema.js';
import { startObservability, type AgentObservability } from './agent-observability.js';
import { createLogger } from '../observability/logger.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox-config.js';
import { agentVersion } from '../version.js';
import { Engine } from './engine.js';
import { acquireInstanceLock } from './instance-lock.js';

export interface HostOptions {
  dataDir: string;
  /** Undefined: no config anywhere, run the embedded sandbox. */
  config?: AgentConfig;
  logLevel?: LevelWithSilent;
  jsonLogs?: boolean;
  /** The config file the config came from: named in hints such as the `secrets set` command. */
  configFile?: string;
  /** Delivery waits for `engine.startDelivery()`, called once the host is up (see EngineOptions.holdDelivery). */
  holdDelivery?: boolean;
}

export interface HostedAgent {
  engine: Engine;
  /** Metrics (/metrics), the per-minute history behind the UI charts, and alerts. */
  observability: AgentObservability;
  sandbox?: Sandbox;
  stop(): Promise<void>;
}

/** The data directory cannot be created; the message says why and what to do. */
export class DataDirError extends Error {
  constructor(dataDir: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    super(
      `Cannot create the data directory ${dataDir} (${code}). Fix: create it with write access for this user, or pass --data-dir.`,
    );
    this.name = 'DataDirError';
  }
}

/** Throws AlreadyRunningError, DataDirError, OutboxUnavailableError or NewerSchemaError with a clear message; cleans up on failure. */
export async function hostAgent(options: HostOptions): Promise<HostedAgent> {
  try {
    // Private to the account that runs the agent: payloads, logs and status live here.
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new DataDirError(options.dataDir, error);
  }
  const lock = acquireInstanceLock(options.dataDir);
  let sandbox: Sandbox | undefined;
  try {
    if (!options.config) sandbox = await startSandbox(options.dataDir);
    const config = options.config ?? sandbox!.config;
    const logger = createLogger({
      dataDir: options.dataDir,
      level: options.logLevel ?? config.logging.level,
      maxFileBytes: config.logging.maxFileBytes,
      maxFiles: config.logging.maxFiles,
      stdout: options.jsonLogs ?? false,
    });
    const engine = await Engine.start({
      config,
      dataDir: options.dataDir,
      logger,
      version: agentVersion,
      ...(options.configFile ? { configFile: options.configFile } : {}),
      ...(options.holdDelivery ? { holdDelivery: true } : {}),
      sandboxNotices: sandbox
        ? [
            {
              level: 'info',
              at: Date.now(),
              message: `SANDBOX: no config found; drop files into ${sandbox.inbox}`,
            },
          ]
        : [],
    });
    const observability = await startObservability(engine, config, options.dataDir, logger);
    return {
      engine,
      observability,
      ...(sandbox ? { sandbox } : {}),
      async stop() {
        await observability.stop();
        await engine.stop();
        await sandbox?.ingest.close();
        lock.release();
      },
    };
  } catch (error) {
    await sandbox?.ingest.close();
    lock.release();
    throw error;
  }
}
