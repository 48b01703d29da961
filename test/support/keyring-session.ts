// Runs commands in a private D-Bus session with an unlocked GNOME Keyring in a temp HOME, never a real keyring.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const installHint = 'install with: apt-get install -y gnome-keyring dbus-x11 libsecret-1-dev';
const keyringPassword = 'test-keyring-password';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface KeyringSession {
  /** The session's HOME; the keyring lives in `<home>/data/keyrings`. */
  readonly home: string;
  /** Runs argv inside a fresh D-Bus session; `unlock: false` leaves the keyring locked (no Secret Service started). */
  run(argv: readonly string[], options?: RunOptions & { unlock?: boolean }): Promise<ProcessResult>;
  /** Runs an ES module snippet under tsx from the repository root (imports like './main/x.js' work). */
  runNode(code: string, options?: RunOptions): Promise<ProcessResult>;
  /** Runs `integration-agent <args>` from the sources. */
  runCli(args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
  /** What gnome-keyring-daemon printed in the last session (for failure messages). */
  daemonLog(): string;
  /** Removes the temp HOME and the keyring in it. */
  close(): void;
}

/** True when an executable named `binary` is on PATH. */
export function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Fails with the apt-get command when the session tools are missing. */
export function assertKeyringToolsInstalled(): void {
  for (const binary of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (!onPath(binary)) throw new Error(`${binary} is not installed; ${installHint}`);
  }
}

/** A minimal environment: no DISPLAY, no D-Bus address, HOME and XDG dirs inside `home`. */
export function isolatedEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_RUNTIME_DIR: join(home, 'run'),
    ...extra,
  };
}

/** Runs argv to completion with a clean environment; kills its whole process group after `timeoutMs`. */
export function runProcess(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  options: RunOptions = {},
): Promise<ProcessResult> {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('runProcess: empty argv');
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms: ${argv.join(' ')}\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export const nodeSnippet = (code: string) => [
  process.execPath,
  '--import',
  'tsx',
  '--input-type=module',
  '-e',
  code,
];
export const cliCommand = (args: readonly string[]) => [
  process.execPath,
  '--import',
  'tsx',
  'main/cli.ts',
  ...args,
];

export function createKeyringSession(): KeyringSession {
  assertKeyringToolsInstalled();
  const home = mkdtempSync(join(tmpdir(), 'keyring-session-'));
  for (const dir of ['data', 'config', 'cache']) mkdirSync(join(home, dir));
  mkdirSync(join(home, 'run'), { mode: 0o700 });
  const log = join(home, 'keyring-daemon.log');
  // Unlocking creates the "login" keyring on first use; it persists in <home>/data/keyrings between sessions.
  const inSession = (argv: readonly string[], unlock: boolean) => [
    'dbus-run-session',
    '--',
    'sh',
    '-c',
    unlock
      ? `printf %s "$1" | gnome-keyring-daemon --unlock --components=secrets >"${log}" 2>&1 || exit 97; shift; exec "$@"`
      : 'shift; exec "$@"',
    'sh',
    keyringPassword,
    ...argv,
  ];
  const session: KeyringSession = {
    home,
    run: (argv, options = {}) =>
      runProcess(inSession(argv, options.unlock ?? true), isolatedEnv(home), options),
    runNode: (code, options) => session.run(nodeSnippet(code), options),
    runCli: (args, options) => session.run(cliCommand(args), options),
    daemonLog: () => {
      try {
        return readFileSync(log, 'utf8');
      } catch {
        return '';
      }
    },
    close: () => rmSync(home, { recursive: true, force: true }),
  };
  return session;
}
