// Keychain backend failure paths that a real keyring cannot provoke on demand: the native module fails to load, a hung keychain.
import { describe, expect, it } from 'vitest';
import { SecretStoreUnavailableError } from '../../../main/secrets/errors.js';
import { KeychainSecretStore, type KeytarApi } from '../../../main/secrets/keychain-store.js';

const never = () => new Promise<never>(() => undefined);

describe('KeychainSecretStore', () => {
  it('reports a keytar that cannot load as SecretStoreUnavailableError at open, and retries the load next time', async () => {
    let attempts = 0;
    const loadKeytar = () => {
      attempts++;
      return Promise.reject(
        new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory'),
      );
    };
    const error: unknown = await KeychainSecretStore.open({ loadKeytar }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretStoreUnavailableError);
    expect((error as Error).message).toBe(
      'the OS keychain cannot be used: the keychain module (keytar) could not be loaded: libsecret-1.so.0: cannot open shared object file: No such file or directory. ' +
        'Fix: on a headless server choose the encrypted file backend explicitly in the config ' +
        '(secrets: { backend: file, keyFile: /etc/integration-agent/secrets.key }, see docs/secrets.md), ' +
        'or run the agent inside a desktop session with an unlocked keyring',
    );
    await expect(KeychainSecretStore.open({ loadKeytar })).rejects.toThrow(SecretStoreUnavailableError);
    expect(attempts).toBe(2);
  });

  it('gives up on a keychain that does not answer, saying so', async () => {
    const hung: KeytarApi = {
      getPassword: () => Promise.resolve(null),
      setPassword: never,
      deletePassword: never,
      findCredentials: never,
    };
    const store = await KeychainSecretStore.open({ loadKeytar: () => Promise.resolve(hung), timeoutMs: 50 });
    const started = Date.now();
    await expect(store.set('a', 'b')).rejects.toThrow(
      'the OS keychain cannot be used: the keychain did not answer within 0.05 s (it may be locked and waiting for a password prompt)',
    );
    await expect(store.list()).rejects.toThrow(SecretStoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('wraps a keychain error with what it was doing and never includes the value', async () => {
    const failing: KeytarApi = {
      getPassword: () => Promise.resolve(null),
      setPassword: () =>
        Promise.reject(
          new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”'),
        ),
      deletePassword: () => Promise.resolve(false),
      findCredentials: () =>
        Promise.resolve([
          { account: 'b', password: 'pb' },
          { account: 'a', password: 'pa' },
        ]),
    };
    const store = await KeychainSecretStore.open({ loadKeytar: () => Promise.resolve(failing) });
    const error: unknown = await store.set('token', 'TOP-SECRET-VALUE').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^the OS keychain cannot be used: could not write to it: Object does not exist at path “\/org\/freedesktop\/secrets\/collection\/login”\. Fix: /,
    );
    expect((error as Error).message).not.toContain('TOP-SECRET-VALUE');
    expect(await store.list()).toEqual(['a', 'b']);
  });

  it('rejects invalid names and empty values without calling the keychain', async () => {
    const calls: string[] = [];
    const recording: KeytarApi = {
      getPassword: (_, account) => (calls.push(`get ${account}`), Promise.resolve(null)),
      setPassword: (_, account) => (calls.push(`set ${account}`), Promise.resolve()),
      deletePassword: (_, account) => (calls.push(`delete ${account}`), Promise.resolve(false)),
      findCredentials: () => Promise.resolve([]),
    };
    const store = await KeychainSecretStore.open({ loadKeytar: () => Promise.resolve(recording) });
    calls.length = 0;
    await expect(store.set('no spaces', 'x')).rejects.toThrow('"no spaces" is not a valid secret name');
    await expect(store.get('../etc')).rejects.toThrow('is not a valid secret name');
    await expect(store.delete('')).rejects.toThrow('is not a valid secret name');
    await expect(store.set('ok', '')).rejects.toThrow('the value for secret "ok" is empty');
    expect(calls).toEqual([]);
    await store.set('ok', 'v');
    expect(calls).toEqual(['set ok']);
  });
});
