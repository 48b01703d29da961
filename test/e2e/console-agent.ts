// Starts the real agent (built CLI) with its web console and the ingest server, for the browser tests; stops both.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIngestServer, type IngestServer } from '../support/ingest.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repoRoot, 'dist/main/cli.js');

export const adminPassphrase = 'correct horse battery staple';

export interface ConsoleAgent {
  ingest: IngestServer;
  inbox: string;
  dataDir: string;
  /** The sign-in link printed by `console-url` (token in the fragment). */
  signInUrl: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  token: string;
  output(): string;
  /** The config file the agent runs from. */
  configFile: string;
  /** Rewrites the config file (same console port) with these YAML lines as its `connections:` list. */
  writeConnections(lines: string[]): void;
  /** Stops the agent and starts it again on the same console port (sessions are forgotten, the token stays). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface ConsoleAgentOptions {
  /** Extra keys of the `console` section, e.g. `adminIdleMinutes: 0.1`. */
  console?: string;
  /** The config's connections list (JSON) for these places; none by default. */
  connections?: (places: AgentPlaces) => unknown[];
  /** Extra top-level YAML lines of the config (e.g. `outbox: { encryption: { enabled: true } }`). */
  extraConfig?: (places: AgentPlaces) => string[];
  /** Start with no config file at all, as after installing: the agent runs its built-in sandbox. */
  sandbox?: boolean;
  /** Leave the console port unset, so the agent wants its default port (and falls back when that is taken). */
  defaultPort?: boolean;
}

function requireBuilt(): void {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` before the browser tests`);
  if (!existsSync(join(repoRoot, 'dist/renderer/index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build` (it builds the renderer with vite)');
  }
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error('/usr/bin/chromium is missing: install it with `apt-get install -y chromium`');
  }
}

/** Runs a CLI command to completion, feeding `stdin`; rejects with its output when it fails. */
export function runCli(args: string[], stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`integration-agent ${args.join(' ')} exited ${code}:\n${out}${err}`)),
    );
    child.stdin.end(stdin);
  });
}

function waitForOutput(child: ChildProcess, text: () => string, pattern: RegExp, timeoutMs: number) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`timed out waiting for ${pattern}:\n${text()}`)),
      timeoutMs,
    );
    const check = () => pattern.test(text()) && done();
    const exit = (code: number | null) =>
      done(new Error(`the agent exited (${code}) before ${pattern}:\n${text()}`));
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', exit);
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', exit);
    check();
  });
}

/** Where a test's own connections point: the watched folder, the ingest server and a folder for extra files. */
export interface AgentPlaces {
  inbox: string;
  ingestUrl: string;
  dir: string;
}

export async function startConsoleAgent(options: ConsoleAgentOptions = {}): Promise<ConsoleAgent> {
  requireBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'e2e-console-'));
  const inbox = join(dir, 'inbox');
  const dataDir = join(dir, 'data');
  mkdirSync(inbox);
  mkdirSync(dataDir);
  const ingest = await startIngestServer();
  const places = { inbox, ingestUrl: ingest.url, dir };
  const connections = options.connections?.(places) ?? [];
  const extraLines = options.extraConfig?.(places) ?? [];
  // The sandbox has no config file until the first connection is saved: the agent writes it into its data dir.
  const config = options.sandbox ? join(dataDir, 'config.yaml') : join(dir, 'config.yaml');
  const consoleKeys = (port: number) =>
    [...(options.defaultPort ? [] : [`port: ${port}`]), ...(options.console ? [options.console] : [])].join(
      ', ',
    );
  const writeConfig = (port: number, lines?: string[]) =>
    writeFileSync(
      config,
      [
        'configVersion: 1',
        `console: { ${consoleKeys(port)} }`,
        'logging: { level: debug }',
        ...extraLines,
        ...(lines === undefined
          ? [`connections: ${JSON.stringify(connections)}`]
          : lines.length === 0
            ? ['connections: []']
            : ['connections:', ...lines]),
        '',
      ].join('\n'),
    );
  if (!options.sandbox) writeConfig(0);
  await runCli(['admin', 'set-passphrase', '--data-dir', dataDir], `${adminPassphrase}\n`);
  let text = '';
  const launch = async () => {
    const configArgs = existsSync(config) ? ['--config', config] : [];
    const child = spawn(process.execPath, [cli, 'run', ...configArgs, '--data-dir', dataDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const halt = async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    };
    const from = text.length;
    try {
      await waitForOutput(child, () => text.slice(from), /running \(pid/, 20_000);
    } catch (error) {
      await halt();
      throw error;
    }
    return halt;
  };
  let halt: (() => Promise<void>) | undefined;
  const stop = async () => {
    await halt?.();
    halt = undefined;
    await ingest.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    halt = await launch();
    const signInUrl = (await runCli(['console-url', '--data-dir', dataDir])).trim();
    const url = new URL(signInUrl);
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    const restart = async () => {
      await halt?.();
      halt = undefined;
      if (!options.sandbox) writeConfig(Number(url.port));
      halt = await launch();
    };
    return {
      ingest,
      inbox,
      dataDir,
      signInUrl,
      origin: url.origin,
      token,
      configFile: config,
      writeConnections: (lines: string[]) => writeConfig(Number(url.port), lines),
      output: () => text,
      restart,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
