// resolveSecrets: every referenced secret, or one error listing each missing name with the command that sets it.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingSecretsError } from '../../../main/secrets/errors.js';
import { openSecretStore } from '../../../main/secrets/open-secret-store.js';
import { resolveSecrets, setSecretCommand } from '../../../main/secrets/resolve-secrets.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir({ prefix: 'secrets-resolve-' });

async function store() {
  const keyFile = join(dir(), 'k');
  writeFileSync(keyFile, randomBytes(24).toString('base64'), { mode: 0o600 });
  const opened = await openSecretStore({ backend: 'file', keyFile }, dir());
  await opened.set('erp-token', 'e');
  await opened.set('crm-key', 'c');
  return opened;
}

async function missingOf(work: () => Promise<unknown>): Promise<MissingSecretsError> {
  const error: unknown = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof MissingSecretsError) return error;
  throw new Error(`expected a MissingSecretsError, got ${String(error)}`);
}

describe('resolveSecrets', () => {
  it('returns every referenced value by name, once per name', async () => {
    const opened = await store();
    const values = await resolveSecrets(['erp-token', 'crm-key', 'erp-token'], opened);
    expect([...values]).toEqual([
      ['crm-key', 'c'],
      ['erp-token', 'e'],
    ]);
    expect(await resolveSecrets([], opened)).toEqual(new Map());
  });

  it('lists every missing name with the exact command that sets it', async () => {
    const opened = await store();
    const error = await missingOf(() =>
      resolveSecrets(['erp-token', 'ldap-pass', 'api-key', 'ldap-pass'], opened),
    );
    expect(error.names).toEqual(['api-key', 'ldap-pass']);
    expect(error.message).toBe(
      `2 secrets are missing from the encrypted file ${join(dir(), 'secrets.enc.json')}: api-key, ldap-pass. Fix: store each one with\n` +
        '    integration-agent secrets set api-key\n' +
        '    integration-agent secrets set ldap-pass',
    );
  });

  it('says "secret X is" for one, and adds --config/--data-dir so the command reaches the same store', async () => {
    const error = await missingOf(() =>
      resolveSecrets(
        ['only-one'],
        {
          backend: 'file',
          description: 'encrypted file /x',
          get: () => Promise.resolve(undefined),
          set: () => Promise.resolve(),
          delete: () => Promise.resolve(false),
          list: () => Promise.resolve([]),
        },
        {
          configFile: '/etc/my agent/config.yaml',
          dataDir: '/var/lib/ia',
        },
      ),
    );
    expect(error.message).toBe(
      'secret "only-one" is missing from the encrypted file /x: only-one. Fix: store it with\n' +
        "    integration-agent secrets set only-one --config '/etc/my agent/config.yaml' --data-dir /var/lib/ia",
    );
  });

  it('rejects an invalid name before reading anything', async () => {
    await expect(resolveSecrets(['ok', 'not ok'], await store())).rejects.toThrow(
      '"not ok" is not a valid secret name',
    );
  });

  it('quotes what a shell would split', () => {
    expect(setSecretCommand('a', { configFile: "/it's/here.yaml" })).toBe(
      `integration-agent secrets set a --config '/it'\\''s/here.yaml'`,
    );
  });
});
