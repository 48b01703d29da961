// `integration-agent run`: hosts the engine headless with its local web console until SIGINT/SIGTERM, then stops gracefully.
import type { LevelWithSilent } from 'pino';
import { createAgentHandlers } from '../api/agent-handlers.js';
import { createEngineBackend } from '../api/engine-backend.js';
import { defaultConsolePort, resolveConsoleSettings } from '../config/console-settings.js';
import { ConsoleError } from '../console/console-error.js';
import { startConsole, type RunningConsole } from '../console/start-console.js';
import { DataDirError, hostAgent, type HostedAgent } from '../engine/host.js';
import { AlreadyRunningError } from '../engine/instance-lock.js';
import { NewerSchemaError } from '../outbox/migrate.js';
import { OutboxUnavailableError } from '../outbox/open-database.js';
import { agentVersion } from '../version.js';
import { CliError, exitCodes } from './cli-error.js';
import { resolveSetup, type Setup, type SetupOptions } from './resolve-setup.js';
import { ConfigWatch, describeReload } from '../engine/config-watch.js';
import { writeReloadAnswer, type ReloadAnswerOutcome } from '../engine/reload-answer.js';

export interface RunOptions extends SetupOptions {
  logLevel?: LevelWithSilent;
  jsonLogs?: boolean;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function start(
  options: RunOptions,
  setup: Awaited<ReturnType<typeof resolveSetup>>,
): Promise<HostedAgent> {
  try {
    return await hostAgent({
      dataDir: setup.dataDir,
      ...(setup.config ? { config: setup.config } : {}),
      ...(setup.configFile ? { configFile: setup.configFile } : {}),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
      jsonLogs: options.jsonLogs ?? false,
      holdDelivery: true, // started once the console listens and "running" is said (see runAgent)
    });
  } catch (error) {
    if (error instanceof AlreadyRunningError) throw new CliError(error.message, exitCodes.alreadyRunning);
    if (
      error instanceof DataDirError ||
      error instanceof OutboxUnavailableError ||
      error instanceof NewerSchemaError
    ) {
      throw new CliError(error.message, exitCodes.dataDirUnusable);
    }
    throw error;
  }
}

export async function runAgent(options: RunOptions): Promise<void> {
  const shutdown = waitForShutdownSignal(); // listen first: a signal during start-up still stops gracefully
  const setup = await resolveSetup(options);
  const agent = await start(options, setup);
  // The console listens before the "running" line: whoever waits for that line may ask for console-url at once.
  const webConsole = await startWebConsole(agent, setup);
  say(`integration-agent ${agentVersion} running (pid ${process.pid}), data in ${setup.dataDir}`);
  if (webConsole.running) {
    say(`console: ${webConsole.running.url} (sign-in link: integration-agent console-url)`);
    const sha256 = webConsole.running.certificateSha256;
    if (sha256) say(`console: certificate SHA-256 fingerprint ${sha256}`);
  }
  say(setup.configFile ? `config: ${setup.configFile}` : 'config: none found, running the built-in SANDBOX');
  if (agent.sandbox) {
    say(`SANDBOX: drop files into ${agent.sandbox.inbox}`);
    say(
      `SANDBOX: see them arrive at ${agent.sandbox.ingest.url}/ (a local test API; nothing leaves this machine)`,
    );
  }
  agent.engine.startDelivery(); // a backlog drains from now on, after start-up had the event loop to itself
  const configWatch = watchConfigFile(agent, setup);
  let lastState = '';
  agent.engine.onStatus((status) => {
    // One line per change of health or backlog, not per "last delivery N s ago" tick.
    const state = `${status.health}|${status.outbox.pending}|${status.outbox.dead}|${status.outbox.capturePaused}`;
    if (state !== lastState) say(`[${new Date().toISOString()}] ${status.summary}`);
    lastState = state;
  });
  await shutdown;
  say('stopping: finishing in-flight deliveries…');
  configWatch?.stop();
  await webConsole.close();
  await agent.stop();
  say('stopped cleanly.');
}

/** The local web console (on by default, loopback only); a console that cannot start is said, not fatal. */
async function startWebConsole(
  agent: HostedAgent,
  setup: Awaited<ReturnType<typeof resolveSetup>>,
): Promise<{ running?: RunningConsole; close(): Promise<void> }> {
  const settings = resolveConsoleSettings((setup.config ?? agent.sandbox?.config)?.console);
  if (!settings.enabled) return { close: () => Promise.resolve() };
  const { metrics, history, alerts } = agent.observability;
  const backend = createEngineBackend({
    engine: agent.engine,
    throughput: history,
    alerts,
    ...(setup.configFile ? { configFile: setup.configFile } : {}),
  });
  let running: RunningConsole | undefined;
  try {
    running = await startConsole({
      ...settings,
      handlers: createAgentHandlers(backend),
      dataDir: setup.dataDir,
      logger: agent.engine.logger,
      metrics: async () => ({ text: await metrics.text(), contentType: metrics.contentType }),
      fallbackToFreePort: settings.port === defaultConsolePort,
    });
    if (running.fallbackFrom !== undefined) {
      const message = `The web console's port ${running.fallbackFrom} is in use; it listens on ${running.url} instead (integration-agent console-url prints the sign-in link)`;
      say(`console: ${message}`);
      agent.engine.addNotice({ level: 'warn', at: Date.now(), message });
    }
  } catch (error) {
    if (!(error instanceof ConsoleError)) throw error;
    say(`console: not started: ${error.message}`);
    agent.engine.addNotice({
      level: 'error',
      at: Date.now(),
      message: `The web console is not running: ${error.message}`,
    });
  }
  return {
    ...(running ? { running } : {}),
    async close() {
      await running?.close();
      backend.close();
    },
  };
}

/**
 * Edits of the config file apply live; SIGHUP (`integration-agent config reload`) reloads at once, and each SIGHUP is
 * answered in the data dir's reload-answer.json, which `config reload` waits for.
 */
function watchConfigFile(agent: HostedAgent, setup: Setup): ConfigWatch | undefined {
  const answer = (signalledAt: number, outcome: ReloadAnswerOutcome) =>
    writeReloadAnswer(setup.dataDir, { pid: process.pid, signalledAt, outcome }).catch((error: unknown) =>
      agent.engine.logger.warn({ err: error }, 'config: could not write the answer for `config reload`'),
    );
  if (!setup.configFile) {
    // Without a handler SIGHUP would end the process: `config reload` must never stop a sandbox agent.
    process.on('SIGHUP', () => {
      const signalledAt = Date.now();
      say(
        'config: nothing to reload, this agent runs without a config file (the sandbox). Hint: add connections in the UI, or start it with --config FILE',
      );
      void answer(signalledAt, { kind: 'no-config-file' });
    });
    return undefined;
  }
  const configWatch = new ConfigWatch(agent.engine, setup.configFile);
  configWatch.start();
  process.on('SIGHUP', () => {
    const signalledAt = Date.now();
    say('config: reloading the config file (SIGHUP)');
    void configWatch.reload().then((outcome) => {
      say(`config: ${describeReload(outcome)}`);
      return answer(signalledAt, outcome);
    });
  });
  return configWatch;
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
