// The top-level `secrets` config: keychain by default, the file backend only explicitly, with one key source.
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../main/config/json-schema.js';
import { validateConfig } from '../../../main/config/load-config.js';
import { configErrorOf } from '../config/config-error-helpers.js';

const load = (secrets: unknown) => validateConfig({ configVersion: 1, secrets }, 'agent.yaml').config.secrets;
const issuesOf = (secrets: unknown) =>
  configErrorOf(() => validateConfig({ configVersion: 1, secrets }, 'agent.yaml')).issues;

describe('secrets config', () => {
  it('defaults to the OS keychain', () => {
    expect(validateConfig({ configVersion: 1 }, 'agent.yaml').config.secrets).toEqual({
      backend: 'keychain',
    });
    expect(load({ backend: 'keychain' })).toEqual({ backend: 'keychain' });
  });

  it('accepts the file backend with a key file or a key variable', () => {
    expect(load({ backend: 'file', keyFile: '/etc/ia/secrets.key' })).toEqual({
      backend: 'file',
      keyFile: '/etc/ia/secrets.key',
    });
    expect(load({ backend: 'file', file: '/srv/s.json', keyEnv: 'IA_SECRETS_KEY' })).toEqual({
      backend: 'file',
      file: '/srv/s.json',
      keyEnv: 'IA_SECRETS_KEY',
    });
  });

  it('requires exactly one of keyFile and keyEnv, saying how to fix it', () => {
    expect(issuesOf({ backend: 'file' })).toEqual([
      {
        path: 'secrets',
        problem:
          'the file backend needs the key that encrypts the store, but neither keyFile nor keyEnv is set',
        fix:
          'add keyFile: /etc/integration-agent/secrets.key (create it with `(umask 077 && openssl rand -base64 32 > FILE)`) ' +
          'or keyEnv: NAME of an environment variable that holds the key',
      },
    ]);
    expect(issuesOf({ backend: 'file', keyFile: '/k', keyEnv: 'K' })).toEqual([
      {
        path: 'secrets.keyEnv',
        problem: 'keyFile and keyEnv are both set; the key must come from exactly one place',
        fix: 'remove keyEnv or keyFile',
      },
    ]);
  });

  it('names an unknown backend and the allowed ones', () => {
    expect(issuesOf({ backend: 'vault' })).toEqual([
      {
        path: 'secrets.backend',
        problem: '"vault" is not a known backend',
        fix: 'set backend to one of: "keychain", "file"',
      },
    ]);
    expect(issuesOf({})).toEqual([
      { path: 'secrets.backend', problem: 'is missing', fix: 'set backend to one of: "keychain", "file"' },
    ]);
  });

  it('rejects file settings on the keychain backend and suggests misspelt keys', () => {
    expect(issuesOf({ backend: 'keychain', keyFile: '/k' })).toEqual([
      expect.objectContaining({ path: 'secrets.keyFile', problem: 'unknown key "keyFile"' }),
    ]);
    expect(issuesOf({ backend: 'file', keyfile: '/k' })).toContainEqual({
      path: 'secrets.keyfile',
      problem: 'unknown key "keyfile"',
      fix: 'remove it or check the spelling; did you mean "keyFile"?',
    });
  });

  it('wants keyEnv to be a variable name, not the key itself', () => {
    expect(issuesOf({ backend: 'file', keyEnv: 'not a name!' })).toEqual([
      expect.objectContaining({
        path: 'secrets.keyEnv',
        problem: 'must be the name of an environment variable',
      }),
    ]);
  });

  it('is described in the exported JSON Schema', () => {
    const secrets = configJsonSchema().properties?.['secrets'] as Record<string, unknown>;
    expect(secrets['default']).toEqual({ backend: 'keychain' });
    expect(JSON.stringify(secrets)).toContain('"keyEnv"');
    expect(typeof secrets['description']).toBe('string');
  });
});
