// UnlockLimiter: wrong admin passphrases pause the session, and all sessions together, with a real passphrase file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setAdminPassphrase, verifyAdminPassphrase } from '../../../main/api/admin-passphrase.js';
import { ContractError } from '../../../main/api/contract-error.js';
import { UnlockLimiter, UnlockPaused } from '../../../main/console/unlock-limiter.js';

describe('UnlockLimiter', () => {
  it('pauses a session after its free wrong guesses and the agent after the global ones, the right passphrase too', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'unlock-'));
    await setAdminPassphrase(dataDir, 'correct horse battery staple');
    const limiter = new UnlockLimiter({
      perSession: { freeFailures: 2, baseDelayMs: 60_000 },
      global: { freeFailures: 4, baseDelayMs: 60_000 },
    });
    const unlock = (passphrase: string) => async () => {
      if (!(await verifyAdminPassphrase(dataDir, passphrase)))
        throw new ContractError('forbidden', 'the admin passphrase is wrong');
      return 'admin';
    };
    const outcome = (session: string, passphrase: string) =>
      limiter.attempt(session, unlock(passphrase)).then(
        (value) => value,
        (error: unknown) => (error instanceof UnlockPaused ? 'paused' : (error as ContractError).code),
      );
    expect(await outcome('a', 'guess one')).toBe('forbidden');
    expect(await outcome('a', 'guess two')).toBe('forbidden');
    expect(await outcome('a', 'guess three')).toBe('forbidden');
    expect(await outcome('a', 'correct horse battery staple')).toBe('paused');
    expect(await outcome('b', 'correct horse battery staple')).toBe('admin');
    expect(await outcome('c', 'guess four')).toBe('forbidden');
    expect(await outcome('d', 'guess five')).toBe('forbidden');
    expect(await outcome('e', 'correct horse battery staple')).toBe('paused');
  });
});
