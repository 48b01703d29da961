// migrateConfigFile with a 0 → 1 migration injected: backup of the original, rewrite in the same format.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfigFile } from '../../../main/config/load-config.js';
import type { ConfigMigration } from '../../../main/config/migrations.js';
import type * as Migrations from '../../../main/config/migrations.js';
import { migrateConfigFile } from '../../../main/config/save-config.js';
import { makeTempDir } from './config-error-helpers.js';

vi.mock('../../../main/config/migrations.js', async (importOriginal) => {
  const original = await importOriginal<typeof Migrations>();
  const zeroToOne: ConfigMigration = {
    from: 0,
    to: 1,
    migrate: ({ logLevel, ...rest }) => ({ ...rest, logging: { level: logLevel } }),
  };
  return { ...original, configMigrations: [zeroToOne] };
});

describe('migrateConfigFile with an older file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('loads an old file with migratedFrom set, without changing it', async () => {
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, 'configVersion: 0\nlogLevel: debug\n');
    const { config, migratedFrom } = await loadConfigFile(file);
    expect(migratedFrom).toBe(0);
    expect(config.logging.level).toBe('debug');
    expect(readFileSync(file, 'utf8')).toBe('configVersion: 0\nlogLevel: debug\n');
  });

  it('keeps a backup and rewrites a YAML file for the current version', async () => {
    const file = join(dir, 'agent.yaml');
    const original = '# old format\nconfigVersion: 0\nlogLevel: warn\n';
    writeFileSync(file, original);
    expect(await migrateConfigFile(file)).toEqual({
      migrated: true,
      from: 0,
      to: 1,
      backup: `${file}.v0.bak`,
    });
    expect(readFileSync(`${file}.v0.bak`, 'utf8')).toBe(original);
    expect(readFileSync(file, 'utf8')).toBe('configVersion: 1\nlogging:\n  level: warn\n');
    expect(await loadConfigFile(file)).toEqual({ config: expect.objectContaining({ configVersion: 1 }) });
    expect(readdirSync(dir).sort()).toEqual(['agent.yaml', 'agent.yaml.v0.bak']);
  });

  it('rewrites a JSON file as JSON', async () => {
    const file = join(dir, 'agent.json');
    writeFileSync(file, '{"configVersion":0,"logLevel":"error"}');
    await migrateConfigFile(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ configVersion: 1, logging: { level: 'error' } });
    expect(readFileSync(`${file}.v0.bak`, 'utf8')).toBe('{"configVersion":0,"logLevel":"error"}');
  });

  it('does not write anything when the migrated config is invalid', async () => {
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, 'configVersion: 0\nlogLevel: loud\n');
    await expect(migrateConfigFile(file)).rejects.toThrow(/logging\.level: is not one of the allowed values/);
    expect(readdirSync(dir)).toEqual(['agent.yaml']);
  });
});
