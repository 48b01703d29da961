// Brings a raw config written for an older configVersion up to the current one, step by step.
import { ConfigError } from './errors.js';
import { currentConfigVersion } from './schema.js';

export interface ConfigMigration {
  from: number;
  to: number;
  /** Returns the config rewritten for `to`; the framework sets `configVersion` afterwards. */
  migrate(raw: Record<string, unknown>): Record<string, unknown>;
}

/** Every known step, oldest first. Version 1 is the first format, so there is nothing to migrate yet. */
export const configMigrations: ConfigMigration[] = [];

export interface MigratedConfig {
  raw: Record<string, unknown>;
  /** The file's version when it was older than the current one. */
  migratedFrom?: number;
}

/** Validates `configVersion` and applies the migrations from it to `current`; throws ConfigError naming `file`. */
export function migrateRawConfig(
  raw: unknown,
  migrations: readonly ConfigMigration[] = configMigrations,
  current: number = currentConfigVersion,
  file = 'config',
): MigratedConfig {
  const fail = (path: string, problem: string, fix: string): never => {
    throw new ConfigError(file, [{ path, problem, fix }]);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(
      '(root)',
      'the file must hold an object of settings at the top level',
      `start it with configVersion: ${current}`,
    );
  }
  const record = raw as Record<string, unknown>;
  const version = record['configVersion'];
  if (version === undefined)
    return fail('configVersion', 'is missing', `add configVersion: ${current} at the top`);
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return fail(
      'configVersion',
      'must be a whole number',
      `write configVersion: ${current} (a number, without quotes)`,
    );
  }
  if (version > current) {
    return fail(
      'configVersion',
      `this file was written for a newer agent (version ${version}); this agent understands up to version ${current}`,
      'upgrade the agent',
    );
  }
  let migrated = version < current ? structuredClone(record) : record;
  for (let at = version; at < current;) {
    const step = migrations.find((m) => m.from === at);
    if (step === undefined || step.to <= at || step.to > current) {
      return fail(
        'configVersion',
        `version ${at} cannot be migrated: this agent has no migration from version ${at}`,
        `rewrite the file for version ${current}, or open it with the agent version that wrote it`,
      );
    }
    // Keeps configVersion as the first key, which is where people look for it.
    migrated = { configVersion: step.to, ...step.migrate(migrated) };
    migrated['configVersion'] = step.to;
    at = step.to;
  }
  return version < current ? { raw: migrated, migratedFrom: version } : { raw: migrated };
}
