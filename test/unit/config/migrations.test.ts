// The config migration framework: version checks, stepwise upgrades, refusing gaps and newer files.
import { describe, expect, it } from 'vitest';
import { configMigrations, migrateRawConfig } from '../../../main/config/migrations.js';
import type { ConfigMigration } from '../../../main/config/migrations.js';
import { configErrorOf } from './config-error-helpers.js';

/** Version 0 kept the log level at the top; version 1 moved it under logging. */
const zeroToOne: ConfigMigration = {
  from: 0,
  to: 1,
  migrate: ({ logLevel, ...rest }) => ({ ...rest, logging: { level: logLevel } }),
};

describe('migrateRawConfig', () => {
  it('has no migrations yet: version 1 is the first format', () => {
    expect(configMigrations).toEqual([]);
    const raw = { configVersion: 1, sandbox: true };
    expect(migrateRawConfig(raw)).toEqual({ raw });
  });

  it('applies an injected 0 → 1 migration and says where it came from', () => {
    const raw = { configVersion: 0, logLevel: 'debug', sandbox: true };
    const result = migrateRawConfig(raw, [zeroToOne], 1);
    expect(result).toEqual({
      raw: { configVersion: 1, sandbox: true, logging: { level: 'debug' } },
      migratedFrom: 0,
    });
    expect(Object.keys(result.raw)[0]).toBe('configVersion');
    expect(raw).toEqual({ configVersion: 0, logLevel: 'debug', sandbox: true });
  });

  it('applies several steps in order', () => {
    const steps: ConfigMigration[] = [
      { from: 2, to: 3, migrate: (raw) => ({ ...raw, trail: [...(raw['trail'] as string[]), '2→3'] }) },
      { from: 1, to: 2, migrate: (raw) => ({ ...raw, trail: ['1→2'] }) },
    ];
    expect(migrateRawConfig({ configVersion: 1 }, steps, 3)).toEqual({
      raw: { configVersion: 3, trail: ['1→2', '2→3'] },
      migratedFrom: 1,
    });
  });

  it('refuses a gap in the migration chain', () => {
    const steps: ConfigMigration[] = [{ from: 1, to: 2, migrate: (raw) => raw }];
    const error = configErrorOf(() => migrateRawConfig({ configVersion: 1 }, steps, 3, 'agent.yaml'));
    expect(error.file).toBe('agent.yaml');
    expect(error.issues[0]).toMatchObject({
      path: 'configVersion',
      problem: expect.stringContaining('no migration from version 2'),
    });
  });

  it('asks for configVersion when it is missing', () => {
    const error = configErrorOf(() => migrateRawConfig({ sandbox: true }, [], 1, 'agent.yaml'));
    expect(error.message).toBe(
      'Invalid config agent.yaml:\n  - configVersion: is missing. Fix: add configVersion: 1 at the top',
    );
  });

  it('refuses a configVersion that is not an integer', () => {
    for (const configVersion of ['1', 1.5, null]) {
      const error = configErrorOf(() => migrateRawConfig({ configVersion }));
      expect(error.issues[0]).toMatchObject({ path: 'configVersion', problem: 'must be a whole number' });
    }
  });

  it('refuses a file written for a newer agent', () => {
    const error = configErrorOf(() => migrateRawConfig({ configVersion: 2 }, [], 1, 'agent.yaml'));
    expect(error.issues).toEqual([
      {
        path: 'configVersion',
        problem:
          'this file was written for a newer agent (version 2); this agent understands up to version 1',
        fix: 'upgrade the agent',
      },
    ]);
  });

  it('refuses anything but an object at the top level', () => {
    for (const raw of [null, [], 'configVersion: 1', 1]) {
      expect(configErrorOf(() => migrateRawConfig(raw)).issues[0]?.path).toBe('(root)');
    }
  });
});
