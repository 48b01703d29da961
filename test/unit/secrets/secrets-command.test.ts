// `integration-agent secrets` with the file backend, as a real child process: stdin, hidden TTY input, exit codes.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { openSecretStore } from '../../../main/secrets/open-secret-store.js';
import { cliCommand, onPath, repoRoot, runProcess, type RunOptions } from '../../support/keyring-session.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A data dir with a config.yaml choosing the file backend and its key file. */
function agentDir(): { dataDir: string; keyFile: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'secrets-cli-'));
  dirs.push(dataDir);
  const keyFile = join(dataDir, 'secrets.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  writeFileSync(
    join(dataDir, 'config.yaml'),
    `configVersion: 1\nsecrets: { backend: file, keyFile: ${keyFile} }\n`,
  );
  return { dataDir, keyFile };
}

const cli = (args: string[], options?: RunOptions) =>
  runProcess(cliCommand(args), { ...process.env }, options);

async function storedValue(dataDir: string, keyFile: string, name: string): Promise<string | undefined> {
  return (await openSecretStore({ backend: 'file', keyFile }, dataDir)).get(name);
}

/** Runs `secrets set` on a pseudo-terminal (util-linux `script`) and types `keys` once the prompt shows. */
function setOnTerminal(
  dataDir: string,
  name: string,
  keys: string,
): Promise<{ code: number | null; screen: string }> {
  if (!onPath('script'))
    throw new Error('script is not installed; install with: apt-get install -y bsdutils');
  const command = cliCommand(['secrets', 'set', name, '-d', dataDir])
    .map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let typed = false;
  const collect = (chunk: Buffer) => {
    screen += chunk.toString();
    if (!typed && screen.includes('(input hidden): ')) {
      typed = true;
      child.stdin.write(keys);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit from secrets set on a terminal; screen so far:\n${screen}`));
    }, 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}

describe.concurrent('integration-agent secrets (file backend)', () => {
  it('set reads piped stdin minus one trailing newline; list prints names only; values never appear', async ({
    expect,
  }) => {
    const { dataDir, keyFile } = agentDir();
    const set = await cli(['secrets', 'set', 'erp-token', '-d', dataDir], { input: 'P1PE-value\n\n' });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe(
      `Stored secret "erp-token" in the encrypted file ${join(dataDir, 'secrets.enc.json')}.\n`,
    );
    expect(await storedValue(dataDir, keyFile, 'erp-token')).toBe('P1PE-value\n');

    const replaced = await cli(['secrets', 'set', 'erp-token', '-d', dataDir], { input: 'second' });
    expect(replaced.stdout).toContain('Replaced secret "erp-token"');
    expect(await storedValue(dataDir, keyFile, 'erp-token')).toBe('second');

    const list = await cli(['secrets', 'list', '-d', dataDir]);
    expect(list).toMatchObject({ code: 0, stdout: 'erp-token\n' });
    for (const result of [set, replaced, list])
      expect(result.stdout + result.stderr).not.toMatch(/P1PE|second/);
  });

  it('typed on a terminal, the value is not echoed and backspace edits it; Ctrl-C stores nothing', async ({
    expect,
  }) => {
    const { dataDir, keyFile } = agentDir();
    const typed = await setOnTerminal(dataDir, 'tty-token', 'S3cXre\x7f\x7f\x7fret\r');
    expect(typed.code, typed.screen).toBe(0);
    expect(typed.screen).toContain('Value for secret "tty-token" (input hidden): ');
    expect(typed.screen).toContain('Stored secret "tty-token"');
    expect(typed.screen).not.toMatch(/S3c|Xre/);
    expect(await storedValue(dataDir, keyFile, 'tty-token')).toBe('S3cret');

    const cancelled = await setOnTerminal(dataDir, 'other', 'abc\x03');
    expect(cancelled.code).toBe(1);
    expect(cancelled.screen).toContain('error: cancelled; nothing was stored');
    expect(cancelled.screen).not.toContain('abc');
    expect(await storedValue(dataDir, keyFile, 'other')).toBeUndefined();
  });

  it('never takes the value as an argument, and --from-env reads a variable', async ({ expect }) => {
    const { dataDir, keyFile } = agentDir();
    const inArgv = await cli(['secrets', 'set', 'api-key', 'ARGV-VALUE', '-d', dataDir]);
    expect(inArgv.code).toBe(1);
    expect(inArgv.stderr).toContain('too many arguments');
    expect(await storedValue(dataDir, keyFile, 'api-key')).toBeUndefined();

    const fromEnv = await cli(['secrets', 'set', 'api-key', '--from-env', 'API_KEY_VALUE', '-d', dataDir], {
      env: { API_KEY_VALUE: 'env value\n' },
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(await storedValue(dataDir, keyFile, 'api-key')).toBe('env value\n');

    const unset = await cli(['secrets', 'set', 'api-key', '--from-env', 'NOT_SET_ANYWHERE', '-d', dataDir]);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('error: the environment variable NOT_SET_ANYWHERE is not set or empty.');
  });

  it('delete removes a secret and fails for an unknown one', async ({ expect }) => {
    const { dataDir, keyFile } = agentDir();
    await (await openSecretStore({ backend: 'file', keyFile }, dataDir)).set('a', 'x');
    const deleted = await cli(['secrets', 'delete', 'a', '-d', dataDir]);
    expect(deleted).toMatchObject({ code: 0, stdout: expect.stringContaining('Deleted secret "a"') });
    expect(await storedValue(dataDir, keyFile, 'a')).toBeUndefined();
    const again = await cli(['secrets', 'delete', 'a', '-d', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error: there is no secret "a" in the encrypted file');
    const empty = await cli(['secrets', 'list', '-d', dataDir]);
    expect(empty).toMatchObject({
      code: 0,
      stdout: '',
      stderr: expect.stringContaining('No secrets in the encrypted file'),
    });
  });

  it('exit 1 with one clear line for store problems, exit 2 for an invalid config', async ({ expect }) => {
    const { dataDir } = agentDir();
    const badName = await cli(['secrets', 'set', 'bad name', '-d', dataDir], { input: 'v' });
    expect(badName.code).toBe(1);
    expect(badName.stderr).toBe(
      'error: "bad name" is not a valid secret name. Fix: use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit (for example "erp-token")\n',
    );
    const emptyValue = await cli(['secrets', 'set', 'ok', '-d', dataDir], { input: '\n' });
    expect(emptyValue.code).toBe(1);
    expect(emptyValue.stderr).toContain('error: no value for secret "ok" was given on stdin.');

    writeFileSync(join(dataDir, 'config.yaml'), 'configVersion: 1\nsecrets: { backend: file }\n');
    const badConfig = await cli(['secrets', 'list', '-d', dataDir]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('secrets: the file backend needs the key that encrypts the store');
  });
});
