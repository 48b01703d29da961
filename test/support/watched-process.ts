// A test server process owned by a shell watchdog: killed when the test process goes away, even by SIGKILL.
import { spawn } from 'node:child_process';
import net from 'node:net';

export interface WatchedProcess {
  /** Process id of the server itself (not of the watchdog). */
  pid: number;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  running(): boolean;
  /** Sends `signal` to the server and waits until it has exited; SIGKILL after `graceMs`. */
  stop(signal: NodeJS.Signals, graceMs?: number): Promise<void>;
}

// The watchdog runs the server in the background, reports its pid, and kills it with SIGKILL as soon as its own
// stdin reaches end of file: when stop() closes it, or when the test process dies and the pipe closes with it.
const watchdog = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'pid=$!',
  'echo "watched-pid:$pid"',
  '{ read -r _ <&3; kill -9 "$pid" 2>/dev/null; } &',
  'wait "$pid"',
].join('\n');

/** Starts `command args` under the watchdog; resolves once its pid is known. */
export async function startWatched(command: string, args: string[]): Promise<WatchedProcess> {
  const child = spawn('/bin/sh', ['-c', watchdog, 'watchdog', command, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  const pid = await new Promise<number>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /watched-pid:(\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then(() => reject(new Error(`${command} exited at once:\n${text}`)));
  });
  return {
    pid,
    output: () => text,
    running: () => running,
    async stop(signal, graceMs = 10_000) {
      if (!running) return;
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
      const timer = setTimeout(() => child.stdin.end(), graceMs); // the watchdog then uses SIGKILL
      await exited;
      clearTimeout(timer);
      child.stdin.end();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `ready` every 25 ms until it is true; fails with the server's output when it exits or `timeoutMs` passes. */
export async function waitUntilReady(
  server: WatchedProcess,
  ready: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (!server.running()) throw new Error(`${what} exited during startup:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not become ready:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
