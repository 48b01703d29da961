// The store file is replaced atomically: a write that fails midway leaves the old file as it was.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSecretStore } from '../../../main/secrets/open-secret-store.js';
import { nodeSnippet, runProcess } from '../../support/keyring-session.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir({ prefix: 'secrets-atomic-' });

function setup() {
  const keyFile = join(dir(), 'secrets.key');
  writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  const open = () => openSecretStore({ backend: 'file', keyFile }, dir());
  return { keyFile, open, storeFile: join(dir(), 'secrets.enc.json') };
}

/** A child that opens the same store and runs `body` (with `store` in scope). */
const childCode = (keyFile: string, body: string) => `
  import { openSecretStore } from './main/secrets/open-secret-store.js';
  const store = await openSecretStore({ backend: 'file', keyFile: ${JSON.stringify(keyFile)} }, ${JSON.stringify(dir())});
  ${body}
`;

const tempFiles = () => readdirSync(dir()).filter((f) => f.endsWith('.tmp'));

describe('secret store file atomicity', () => {
  it('a write that fails midway (file size limit hit) reports it and leaves the old store intact', async () => {
    const { keyFile, open, storeFile } = setup();
    await (await open()).set('kept', 'old value');
    const before = readFileSync(storeFile);

    // 64 blocks of 512 bytes: the small store fits, a 200 KB value does not (write fails with EFBIG after 32 KB).
    const result = await runProcess(
      [
        'sh',
        '-c',
        'ulimit -f 64 && exec "$@"',
        'sh',
        ...nodeSnippet(
          childCode(
            keyFile,
            `
        try { await store.set('big', 'x'.repeat(200_000)); console.log('stored'); }
        catch (error) { console.log(error.message); }
      `,
          ),
        ),
      ],
      { ...process.env, TSX_DISABLE_CACHE: '1' },
    );
    expect(result.stdout, result.stderr).toContain(
      `the secret store file ${storeFile} could not be written (EFBIG); it was left as it was.`,
    );
    expect(readFileSync(storeFile)).toEqual(before);
    expect(tempFiles()).toEqual([]);
    const store = await open();
    expect(await store.list()).toEqual(['kept']);
    expect(await store.get('kept')).toBe('old value');
  });
});
