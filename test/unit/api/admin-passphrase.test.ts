// The admin passphrase file: a scrypt hash (never the passphrase) in a 0600 file; verification is exact.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  adminPassphraseFile,
  hasAdminPassphrase,
  setAdminPassphrase,
  verifyAdminPassphrase,
} from '../../../main/api/admin-passphrase.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir({ prefix: 'admin-pass-' });

describe('admin passphrase', () => {
  it('stores only a hash, private to the owner, and verifies exactly that passphrase', async () => {
    expect(await hasAdminPassphrase(dir())).toBe(false);
    expect(await verifyAdminPassphrase(dir(), 'anything at all')).toBe(false);
    await setAdminPassphrase(dir(), 'correct horse battery staple');
    const file = adminPassphraseFile(dir());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('horse');
    expect(await hasAdminPassphrase(dir())).toBe(true);
    expect(await verifyAdminPassphrase(dir(), 'correct horse battery staple')).toBe(true);
    expect(await verifyAdminPassphrase(dir(), 'correct horse battery stapl')).toBe(false);
    expect(await verifyAdminPassphrase(dir(), '')).toBe(false);
  });

  it('refuses a short passphrase and keeps the old one', async () => {
    await setAdminPassphrase(dir(), 'first long passphrase');
    await expect(setAdminPassphrase(dir(), 'short')).rejects.toThrow(/shorter than 12 characters/);
    expect(await verifyAdminPassphrase(dir(), 'first long passphrase')).toBe(true);
  });

  it('says how to fix a damaged file', async () => {
    writeFileSync(adminPassphraseFile(dir()), '{"algorithm":"md5"}');
    await expect(verifyAdminPassphrase(dir(), 'whatever passphrase')).rejects.toThrow(/admin set-passphrase/);
  });
});
