// The keychain backend against a real GNOME Keyring (private D-Bus session, temp HOME), through the API and the CLI.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  cliCommand,
  createKeyringSession,
  isolatedEnv,
  nodeSnippet,
  runProcess,
  type KeyringSession,
  type ProcessResult,
} from '../support/keyring-session.js';

/** Parses the last stdout line of a snippet that prints JSON, showing everything it printed when that fails. */
function jsonOf(result: ProcessResult, session?: KeyringSession): unknown {
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(
      `expected JSON from the child (exit ${result.code}):\n${result.stdout}\n${result.stderr}\n${session?.daemonLog() ?? ''}`,
    );
  }
}

/** Opens the keychain store and reports the outcome of `body` (which may use `store`) or the error it threw. */
const withStore = (body: string) => `
  import { openSecretStore } from './main/secrets/open-secret-store.js';
  try {
    const store = await openSecretStore({ backend: 'keychain' }, '/nonexistent');
    console.log(JSON.stringify(await (async () => { ${body} })()));
  } catch (error) {
    console.log(JSON.stringify({ error: error.name, message: error.message }));
  }
`;

describe.concurrent('keychain secret store with a real GNOME Keyring', () => {
  // Every test has its own HOME, keyring and data dir, so the tests run side by side.
  const sessions: KeyringSession[] = [];
  const dirs: string[] = [];
  const newSession = () => {
    const session = createKeyringSession();
    sessions.push(session);
    return session;
  };
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-keychain-data-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const session of sessions) session.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('sets, gets, lists (sorted names) and deletes secrets, which persist in the keyring between sessions', async ({
    expect,
  }) => {
    const session = newSession();
    const first = await session.runNode(
      withStore(`
        await store.set('zeta-token', 'first value ✓\\nsecond line');
        await store.set('alpha.key', 'v2');
        await store.set('alpha.key', 'v2 replaced');
        return {
          backend: store.backend,
          description: store.description,
          zeta: await store.get('zeta-token'),
          alpha: await store.get('alpha.key'),
          missing: (await store.get('never-set')) ?? null,
          list: await store.list(),
        };
      `),
    );
    expect(jsonOf(first, session)).toEqual({
      backend: 'keychain',
      description: 'OS keychain (service integration-agent)',
      zeta: 'first value ✓\nsecond line',
      alpha: 'v2 replaced',
      missing: null,
      list: ['alpha.key', 'zeta-token'],
    });

    // A new D-Bus session and a new daemon: the values come from the keyring file, which holds them encrypted.
    const second = await session.runNode(
      withStore(`
        const before = await store.get('zeta-token');
        const deleted = [await store.delete('alpha.key'), await store.delete('alpha.key')];
        return { before, deleted, list: await store.list() };
      `),
    );
    expect(jsonOf(second, session)).toEqual({
      before: 'first value ✓\nsecond line',
      deleted: [true, false],
      list: ['zeta-token'],
    });
    const keyrings = join(session.home, 'data', 'keyrings');
    for (const file of readdirSync(keyrings)) {
      expect(readFileSync(join(keyrings, file)).includes('first value')).toBe(false);
    }
  });

  it('CLI: `secrets set` reads stdin (one trailing newline stripped), `list` shows names only, `delete` removes', async ({
    expect,
  }) => {
    const session = newSession();
    const dataDir = newDataDir();
    const value = 'cli-S3cret value';
    const set = await session.runCli(['secrets', 'set', 'cli-token', '-d', dataDir], { input: `${value}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('Stored secret "cli-token" in the OS keychain (service integration-agent).\n');

    const stored = await session.runNode(withStore(`return { value: await store.get('cli-token') };`));
    expect(jsonOf(stored, session)).toEqual({ value });

    const list = await session.runCli(['secrets', 'list', '-d', dataDir]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')).toContain('cli-token');
    for (const result of [set, list]) expect(result.stdout + result.stderr).not.toContain('S3cret');

    const removed = await session.runCli(['secrets', 'delete', 'cli-token', '-d', dataDir]);
    expect(removed.code, removed.stderr).toBe(0);
    const again = await session.runCli(['secrets', 'delete', 'cli-token', '-d', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('there is no secret "cli-token" in the OS keychain');
  });

  it('a session whose keyring is not unlocked fails with the clear unavailable error', async ({ expect }) => {
    const locked = newSession();
    const result = await locked.run(nodeSnippet(withStore(`await store.set('x', 'y'); return {};`)), {
      unlock: false,
    });
    expect(jsonOf(result, locked)).toEqual({
      error: 'SecretStoreUnavailableError',
      message: expect.stringMatching(
        /^the OS keychain cannot be used: could not write to it: .+\. Fix: .*backend: file/s,
      ),
    });
  });
});

describe.concurrent('keychain secret store without a D-Bus session', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'secrets-no-dbus-'));
  });
  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('openSecretStore fails with SecretStoreUnavailableError naming the cause and the file backend fix', async ({
    expect,
  }) => {
    const result = await runProcess(nodeSnippet(withStore('return {};')), isolatedEnv(home));
    const outcome = jsonOf(result) as { error: string; message: string };
    expect(outcome.error).toBe('SecretStoreUnavailableError');
    expect(outcome.message).toMatch(/^the OS keychain cannot be used: could not read from it: .*D-Bus/);
    expect(outcome.message).toContain(
      'Fix: on a headless server choose the encrypted file backend explicitly in the config (secrets: { backend: file, keyFile: ',
    );
    expect(outcome.message).toContain('or run the agent inside a desktop session');
  });

  it('the CLI reports it in one line with exit code 1 and no stack trace', async ({ expect }) => {
    const result = await runProcess(
      cliCommand(['secrets', 'list', '-d', join(home, 'agent')]),
      isolatedEnv(home),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: the OS keychain cannot be used: /);
    expect(result.stderr).toContain(
      '(no config file was found, so the default store, the OS keychain, was used',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
