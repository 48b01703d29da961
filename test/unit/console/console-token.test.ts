// The console token file: created once with mode 0600, reused, refused when others can read it or it is damaged.
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  consoleTokenFile,
  loadOrCreateConsoleToken,
  readConsoleToken,
  tokensEqual,
} from '../../../main/console/console-token.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir({ prefix: 'console-token-' });

describe('console token', () => {
  it('is created once (32 random bytes, base64url, mode 0600) and reused', async () => {
    const token = await loadOrCreateConsoleToken(dir());
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(consoleTokenFile(dir())).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateConsoleToken(dir())).toBe(token);
    expect(await readConsoleToken(dir())).toBe(token);
  });

  it('two data dirs get different tokens', async () => {
    const a = await loadOrCreateConsoleToken(dir());
    const other = `${dir()}/other`;
    mkdirSync(other);
    expect(await loadOrCreateConsoleToken(other)).not.toBe(a);
  });

  it('refuses a token file others can read, with the chmod fix', async () => {
    await loadOrCreateConsoleToken(dir());
    chmodSync(consoleTokenFile(dir()), 0o644);
    await expect(loadOrCreateConsoleToken(dir())).rejects.toThrow(
      `readable by other users (mode 0644); it is refused. Fix: run: chmod 600 ${consoleTokenFile(dir())}`,
    );
  });

  it('refuses a damaged token file and says how to get a new one', async () => {
    writeFileSync(consoleTokenFile(dir()), 'short\n', { mode: 0o600 });
    await expect(readConsoleToken(dir())).rejects.toThrow(/is damaged\. Fix: remove it/);
  });

  it('says how to get a token when none exists yet', async () => {
    await expect(readConsoleToken(dir())).rejects.toThrow(
      /no console token .* yet\. Fix: start the agent once/,
    );
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('', 'abc')).toBe(false);
    expect(tokensEqual('a'.repeat(1000), 'abc')).toBe(false);
  });
});
