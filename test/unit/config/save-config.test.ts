// Saving configs: atomic writes in the file's format, round trips, refusal of invalid configs, file migration.
import { readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../main/config/load-config.js';
import { migrateConfigFile, saveConfigFile } from '../../../main/config/save-config.js';
import type { AgentConfigInput } from '../../../main/config/schema.js';
import { asyncConfigErrorOf, makeTempDir } from './config-error-helpers.js';

const config: AgentConfigInput = {
  configVersion: 1,
  logging: { level: 'warn' },
  connections: [
    {
      id: 'inbox',
      source: { type: 'folder', path: '/data/in', include: ['*.csv'] },
      destination: {
        type: 'http',
        url: 'https://api.example.com/ingest',
        headers: { Authorization: { secretRef: 'api-token' } },
      },
    },
  ],
};

describe('saveConfigFile', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('writes pretty JSON that loads back to the same config', async () => {
    const file = join(dir, 'agent.json');
    await saveConfigFile(file, config);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(`${JSON.stringify(config, null, 2)}\n`);
    const { config: loaded } = await loadConfigFile(file);
    expect(loaded.logging.level).toBe('warn');
    expect(loaded.connections[0]?.source).toMatchObject({ type: 'folder', include: ['*.csv'] });
    expect(readdirSync(dir)).toEqual(['agent.json']);
  });

  it('writes YAML for .yaml files and round-trips a loaded config', async () => {
    const file = join(dir, 'agent.yaml');
    await saveConfigFile(file, config);
    expect(readFileSync(file, 'utf8')).toMatch(/^configVersion: 1\nlogging:\n {2}level: warn\n/);
    const first = (await loadConfigFile(file)).config;
    await saveConfigFile(file, first);
    expect((await loadConfigFile(file)).config).toEqual(first);
    expect(readdirSync(dir)).toEqual(['agent.yaml']);
  });

  it('replaces an existing file whole and keeps its permissions', async () => {
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, 'configVersion: 1\nsandbox: true\n');
    chmodSync(file, 0o600);
    await saveConfigFile(file, config);
    expect((await loadConfigFile(file)).config.sandbox).toBe(false);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses an invalid config and leaves the file untouched', async () => {
    const file = join(dir, 'agent.json');
    writeFileSync(file, '{ "configVersion": 1 }\n');
    const bad = { ...config, logging: { level: 'loud' } } as unknown as AgentConfigInput;
    const error = await asyncConfigErrorOf(() => saveConfigFile(file, bad));
    expect(error.issues[0]?.path).toBe('logging.level');
    expect(readFileSync(file, 'utf8')).toBe('{ "configVersion": 1 }\n');
    expect(readdirSync(dir)).toEqual(['agent.json']);
  });

  it('refuses a config with an inline secret', async () => {
    const file = join(dir, 'agent.yaml');
    const leaky = structuredClone(config) as { connections: { destination: { headers: unknown } }[] };
    leaky.connections[0]!.destination.headers = { Authorization: 'Bearer abc' };
    const error = await asyncConfigErrorOf(() => saveConfigFile(file, leaky as unknown as AgentConfigInput));
    expect(error.issues[0]?.problem).toContain('inline secret');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a file name it cannot keep the format of', async () => {
    const error = await asyncConfigErrorOf(() => saveConfigFile(join(dir, 'agent.ini'), config));
    expect(error.issues[0]?.problem).toContain('".ini"');
  });
});

describe('migrateConfigFile', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('leaves a current file alone and says so', async () => {
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, '# keep me\nconfigVersion: 1\n');
    expect(await migrateConfigFile(file)).toEqual({ migrated: false, version: 1 });
    expect(readFileSync(file, 'utf8')).toBe('# keep me\nconfigVersion: 1\n');
    expect(readdirSync(dir)).toEqual(['agent.yaml']);
  });

  it('reports a file it cannot migrate without touching it', async () => {
    const file = join(dir, 'agent.json');
    writeFileSync(file, '{ "configVersion": 0 }');
    const error = await asyncConfigErrorOf(() => migrateConfigFile(file));
    expect(error.issues[0]?.path).toBe('configVersion');
    expect(readdirSync(dir)).toEqual(['agent.json']);
  });
});
