// `integration-agent config validate|migrate|print-schema`: check and upgrade config files, export the JSON Schema.
import { configJsonSchema } from '../config/json-schema.js';
import { loadConfigFile } from '../config/load-config.js';
import { migrateConfigFile } from '../config/save-config.js';
import { withConfigErrors } from './cli-error.js';
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

export function printSchemaCommand(): void {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
}
