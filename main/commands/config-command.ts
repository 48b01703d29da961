// `integration-agent config validate|migrate|reload|print-schema`: check and upgrade config files, reload the running agent's, export the JSON Schema.
import { resolve } from 'node:path';
import { configJsonSchema } from '../config/json-schema.js';
import { loadConfigFile } from '../config/load-config.js';
import { migrateConfigFile } from '../config/save-config.js';
import { runningAgentPid } from '../diagnostics/bundle/open-outbox.js';
import { CliError, exitCodes } from './cli-error.js';
import { withConfigErrors } from './with-config-errors.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';
import { plural } from '../engine/plain-words.js';
import { describeReload } from '../engine/config-watch.js';
import { readReloadAnswer, type ReloadAnswerOutcome } from '../engine/reload-answer.js';
import { defaultDataDir, logDir } from '../shared/data-dir.js';

export async function validateConfigCommand(file: string): Promise<void> {
  const { config, migratedFrom } = await withConfigErrors(() => loadConfigFile(file));
  const note =
    migratedFrom !== undefined
      ? ` (written for version ${migratedFrom}; run 'config migrate' to upgrade it)`
      : '';
  process.stdout.write(`${file} is valid: ${plural(config.connections.length, 'connection')}${note}.\n`);
}

export async function migrateConfigCommand(file: string): Promise<void> {
  const result = await withConfigErrors(() => migrateConfigFile(file));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** How long `config reload` waits for the agent's answer: removing a connection may wait up to 10 s on its deliveries. */
const reloadAnswerTimeoutMs = 30_000;
const reloadAnswerPollMs = 100;

/** `config reload`: asks the running agent (SIGHUP) to read its config file now, waits for its answer and prints it. */
export async function reloadConfigCommand(options: SetupOptions): Promise<void> {
  const dataDir = await reloadDataDir(options);
  const pid = runningAgentPid(dataDir);
  if (pid === undefined)
    throw new CliError(
      `no agent is running on ${dataDir}. Hint: start it with \`integration-agent run\` (it reads the config at start), or pass its --data-dir`,
      exitCodes.failure,
    );
  if (process.platform === 'win32')
    throw new CliError(
      'Windows has no SIGHUP. Hint: the agent applies saved edits of its config file by itself; just save the file',
      exitCodes.failure,
    );
  const sentAt = Date.now();
  signalReload(pid);
  const outcome = await waitForReloadAnswer(dataDir, pid, sentAt);
  if (outcome.kind === 'no-config-file')
    throw new CliError(
      `nothing to reload: the agent (pid ${pid}) runs without a config file (the sandbox). Hint: add connections in the UI, or restart it with --config FILE`,
      exitCodes.failure,
    );
  if (outcome.kind === 'refused')
    throw new CliError(
      `config reload refused: the agent keeps running the previous config.\n${outcome.reason}`,
      exitCodes.badConfig,
    );
  const line =
    outcome.kind === 'unchanged'
      ? 'unchanged (the agent already runs what the file says)'
      : describeReload(outcome);
  process.stdout.write(`config reload: ${line}\n`);
}

/**
 * The agent reloads its own file, so only its data dir is needed: with --data-dir (or neither option) the config file,
 * perhaps being edited and invalid right now, is not read here; the agent answers what is wrong with it.
 */
async function reloadDataDir(options: SetupOptions): Promise<string> {
  if (options.dataDir !== undefined || options.config === undefined)
    return resolve(options.dataDir ?? defaultDataDir());
  return (await resolveSetup(options)).dataDir;
}

function signalReload(pid: number): void {
  try {
    process.kill(pid, 'SIGHUP');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    throw new CliError(
      `the agent (pid ${pid}) runs as another user, so this account may not signal it. Hint: run config reload as the agent's user (e.g. with sudo -u)`,
      exitCodes.failure,
    );
  }
}

async function waitForReloadAnswer(
  dataDir: string,
  pid: number,
  sentAt: number,
): Promise<ReloadAnswerOutcome> {
  const deadline = Date.now() + reloadAnswerTimeoutMs;
  for (;;) {
    const answer = await readReloadAnswer(dataDir, pid, sentAt);
    if (answer) return answer.outcome;
    if (runningAgentPid(dataDir) !== pid)
      throw new CliError(
        `the agent (pid ${pid}) stopped before it answered the reload. Hint: its log in ${logDir(dataDir)} says why`,
        exitCodes.failure,
      );
    if (Date.now() > deadline)
      throw new CliError(
        `the agent (pid ${pid}) did not answer the reload within ${reloadAnswerTimeoutMs / 1000} s. Hint: \`integration-agent status\` and its log in ${logDir(dataDir)} say whether it applied the file`,
        exitCodes.failure,
      );
    await new Promise((resolveWait) => setTimeout(resolveWait, reloadAnswerPollMs));
  }
}

export function printSchemaCommand(): void {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
}
