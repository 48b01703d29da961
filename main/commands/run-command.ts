// `integration-agent run`: hosts the engine headless until SIGINT/SIGTERM, then shuts down gracefully.
import { mkdirSync } from 'node:fs';
import type { LevelWithSilent } from 'pino';
import { Engine } from '../engine/engine.js';
import { acquireInstanceLock, AlreadyRunningError } from '../engine/instance-lock.js';
import { createLogger } from '../observability/logger.js';
import { OutboxUnavailableError } from '../outbox/open-database.js';
import { NewerSchemaError } from '../outbox/migrate.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox-config.js';
import { agentVersion } from '../version.js';
import { CliError, exitCodes } from './cli-error.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';

export interface RunOptions extends SetupOptions {
  logLevel?: LevelWithSilent;
  jsonLogs?: boolean;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(
      `Cannot create the data directory ${dataDir} (${code}). Fix: create it with write access for this user, or pass --data-dir.`,
      exitCodes.dataDirUnusable,
    );
  }
}

export async function runAgent(options: RunOptions): Promise<void> {
  const setup = await resolveSetup(options);
  prepareDataDir(setup.dataDir);
  let lock;
  try {
    lock = acquireInstanceLock(setup.dataDir);
  } catch (error) {
    if (error instanceof AlreadyRunningError) throw new CliError(error.message, exitCodes.alreadyRunning);
    throw new CliError(
      `Cannot lock the data directory ${setup.dataDir}: ${(error as Error).message}. Fix: make it writable for this user.`,
      exitCodes.dataDirUnusable,
    );
  }
  let sandbox: Sandbox | undefined;
  let engine: Engine | undefined;
  try {
    if (!setup.config) sandbox = await startSandbox(setup.dataDir);
    const config = setup.config ?? sandbox!.config;
    const logger = createLogger({
      dataDir: setup.dataDir,
      level: options.logLevel ?? config.logging.level,
      maxFileBytes: config.logging.maxFileBytes,
      maxFiles: config.logging.maxFiles,
      stdout: options.jsonLogs ?? false,
    });
    engine = await Engine.start({
      config,
      dataDir: setup.dataDir,
      logger,
      version: agentVersion,
      notices: sandbox
        ? [{ level: 'info', at: Date.now(), message: `SANDBOX: no config found; drop files into ${sandbox.inbox}` }]
        : [],
    });
    say(`integration-agent ${agentVersion} running (pid ${process.pid}), data in ${setup.dataDir}`);
    say(setup.configFile ? `config: ${setup.configFile}` : 'config: none found, running the built-in SANDBOX');
    if (sandbox) {
      say(`SANDBOX: drop files into ${sandbox.inbox}`);
      say(`SANDBOX: see them arrive at ${sandbox.ingest.url}/ (a local test API; nothing leaves this machine)`);
    }
    let lastSummary = '';
    engine.onStatus((status) => {
      if (status.summary !== lastSummary) say(`[${new Date().toISOString()}] ${(lastSummary = status.summary)}`);
    });
  } catch (error) {
    await engine?.stop(1000);
    await sandbox?.ingest.close();
    lock.release();
    if (error instanceof OutboxUnavailableError || error instanceof NewerSchemaError) {
      throw new CliError(error.message, exitCodes.dataDirUnusable);
    }
    throw error;
  }
  await waitForShutdownSignal();
  say('stopping: finishing in-flight deliveries…');
  await engine.stop();
  await sandbox?.ingest.close();
  lock.release();
  say('stopped cleanly.');
}

function waitForShutdownSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.once(signal, () => process.exit(130)); // a second signal forces exit
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
