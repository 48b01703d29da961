// Admin changes on the command line are audited: secrets set/replace/delete and the admin passphrase, actor = OS user.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../main/outbox/outbox.js';
import { outboxFile } from '../../main/shared/data-dir.js';
import { cliCommand, runProcess } from '../support/keyring-session.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A data dir with the file secret backend; `withOutbox`: the agent has run there once (outbox.db exists). */
function agentDir(withOutbox: boolean): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-audit-'));
  dirs.push(dataDir);
  const keyFile = join(dataDir, 'secrets.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  writeFileSync(
    join(dataDir, 'config.yaml'),
    `configVersion: 1\nsecrets: { backend: file, keyFile: ${keyFile} }\n`,
  );
  if (withOutbox) Outbox.open(outboxFile(dataDir), { synchronous: 'NORMAL', busyTimeoutMs: 1000 }).close();
  return dataDir;
}

const cli = (args: string[], input: string) => runProcess(cliCommand(args), { ...process.env }, { input });

/** The audit log entries, oldest first. */
function entries(dataDir: string) {
  const outbox = Outbox.open(outboxFile(dataDir), {
    synchronous: 'NORMAL',
    busyTimeoutMs: 1000,
    readonly: true,
  });
  try {
    return outbox.audit.page(10).reverse();
  } finally {
    outbox.close();
  }
}

describe('CLI audit', () => {
  it('secrets set, replace, delete and admin set-passphrase are in the audit log with cli:<user>, values never', async () => {
    const dataDir = agentDir(true);
    const actor = `cli:${userInfo().username}`;
    for (const [args, input] of [
      [['secrets', 'set', 'erp-token', '-d', dataDir], 'V4LUE-one\n'],
      [['secrets', 'set', 'erp-token', '-d', dataDir], 'V4LUE-two\n'],
      [['secrets', 'delete', 'erp-token', '-d', dataDir], ''],
      [['admin', 'set-passphrase', '-d', dataDir], 'correct horse battery staple\n'],
      [['admin', 'set-passphrase', '-d', dataDir], 'another long passphrase here\n'],
    ] as const) {
      const result = await cli([...args], input);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/audit log/);
    }
    expect(entries(dataDir).map((e) => [e.actor, e.action, e.target])).toEqual([
      [actor, 'secret.set', 'erp-token'],
      [actor, 'secret.replace', 'erp-token'],
      [actor, 'secret.delete', 'erp-token'],
      [actor, 'admin-passphrase.set', null],
      [actor, 'admin-passphrase.replace', null],
    ]);
    const raw = JSON.stringify(entries(dataDir));
    expect(raw).not.toMatch(/V4LUE|horse|another/);
  }, 120_000); // five CLI processes, each compiling the sources with tsx

  it('before the agent ever ran (no outbox) the change is made and the command says it was not audited', async () => {
    const dataDir = agentDir(false);
    const result = await cli(['secrets', 'set', 'early', '-d', dataDir], 'value\n');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Stored secret "early"');
    expect(result.stderr).toContain('not written to the audit log: there is no outbox in');
  }, 60_000);
});
