// `integration-agent config validate|migrate|print-schema`: check and upgrade config files, export the JSON Schema.
import { configJsonSchema } from '../config/json-schema.js';
import { loadConfigFile } from '../config/load-config.js';
import { migrateConfigFile } from '../config/save-config.js';
import { runningAgentPid } from '../diagnostics/bundle/open-outbox.js';
import { CliError, exitCodes } from './cli-error.js';
import { withConfigErrors } from './with-config-errors.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';
import { plural } from '../engine/plain-words.js';

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

/** `config reload`: asks the running agent (SIGHUP) to read its config file now; status and the log tell the result. */
export async function reloadConfigCommand(options: SetupOptions): Promise<void> {
  const { dataDir } = await resolveSetup(options);
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
  process.kill(pid, 'SIGHUP');
  process.stdout.write(
    `Asked the agent (pid ${pid}) to reload its config file. A valid change applies at once; an invalid one is refused and \`integration-agent status\` says why.\n`,
  );
}

export function printSchemaCommand(): void {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
}
