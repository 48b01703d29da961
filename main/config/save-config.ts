// Writes a validated config atomically in the file's own format, and migrates an old file in place with a backup.
import { yaml } from './yaml-module.js';
import { writeFileAtomically } from '../shared/atomic-write.js';
import { configFormatOf } from './config-format.js';
import { parseConfigText, readConfigText, validateConfig } from './load-config.js';
import { configMigrations, migrateRawConfig } from './migrations.js';
import { currentConfigVersion } from './schema.js';
import type { AgentConfigInput } from './schema.js';

export type ConfigMigrationResult =
  { migrated: false; version: number } | { migrated: true; from: number; to: number; backup: string };

/** Refuses (ConfigError) anything that would not load back; writes JSON with 2-space indent or YAML, by extension. */
export async function saveConfigFile(file: string, config: AgentConfigInput): Promise<void> {
  validateConfig(config, file);
  await writeConfig(file, config);
}

/** Rewrites an older file for the current version, first copying the original to `<file>.v<old>.bak`. */
export async function migrateConfigFile(file: string): Promise<ConfigMigrationResult> {
  const text = await readConfigText(file);
  const { raw, migratedFrom } = migrateRawConfig(
    parseConfigText(text, file),
    configMigrations,
    currentConfigVersion,
    file,
  );
  validateConfig(raw, file);
  if (migratedFrom === undefined) return { migrated: false, version: currentConfigVersion };
  const backup = `${file}.v${migratedFrom}.bak`;
  await writeFileAtomically(backup, text);
  await writeConfig(file, raw);
  return { migrated: true, from: migratedFrom, to: currentConfigVersion, backup };
}

async function writeConfig(file: string, value: unknown): Promise<void> {
  const text =
    configFormatOf(file) === 'json' ? `${JSON.stringify(value, null, 2)}\n` : yaml().stringify(value);
  await writeFileAtomically(file, text);
}
