// A real squid proxy on a free 127.0.0.1 port in a temp dir, optionally with Basic auth, for proxy tests.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './watched-process.js';

const squidBinary = '/usr/sbin/squid';
const ncsaAuth = '/usr/lib/squid/basic_ncsa_auth';
const installHint = 'apt-get install -y squid apache2-utils';

export interface SquidOptions {
  /** Require Basic proxy authentication with this login. */
  auth?: { username: string; password: string };
}

export interface Squid {
  /** http://127.0.0.1:<port> (no credentials). */
  url: string;
  port: number;
  /** Lines of squid's access log so far (CONNECT lines are written when the tunnel closes). */
  accessLog(): string[];
  /** Waits until a line of the access log matches. */
  waitForAccessLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function config(dir: string, port: number, htpasswd: string | undefined): string {
  const auth = htpasswd
    ? [
        `auth_param basic program ${ncsaAuth} ${htpasswd}`,
        'auth_param basic children 2 startup=1 idle=1',
        'auth_param basic realm agent-test-proxy',
        'acl logged_in proxy_auth REQUIRED',
      ]
    : [];
  return [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${dir}/squid.pid`,
    `access_log stdio:${dir}/access.log`,
    `cache_log ${dir}/cache.log`,
    'cache_store_log none',
    `coredump_dir ${dir}`,
    // No disk cache at all and nothing kept in memory: a pure forwarding proxy.
    'cache deny all',
    'cache_mem 0 MB',
    'pinger_enable off',
    'shutdown_lifetime 0 seconds',
    // Tests only ever tunnel to loopback servers, on any port (squid's default allows CONNECT only to 443).
    'acl SSL_ports port 1-65535',
    'acl CONNECT method CONNECT',
    'acl test_clients src 127.0.0.1/32',
    'acl loopback_targets dst 127.0.0.0/8',
    ...auth,
    'http_access deny !test_clients',
    'http_access deny !loopback_targets',
    'http_access deny CONNECT !SSL_ports',
    htpasswd ? 'http_access allow logged_in' : 'http_access allow test_clients',
    'http_access deny all',
    '',
  ].join('\n');
}

/** Starts squid in the foreground (-N); always close() it. */
export async function startSquid(options: SquidOptions = {}): Promise<Squid> {
  if (!fs.existsSync(squidBinary)) throw new Error(`squid is not installed: ${installHint}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'squid-'));
  // Squid drops root to its cache_effective_user (proxy on Debian), which must write the logs here.
  fs.chmodSync(dir, 0o777);
  let htpasswd: string | undefined;
  if (options.auth) {
    if (!fs.existsSync(ncsaAuth)) throw new Error(`squid's basic_ncsa_auth is missing: ${installHint}`);
    htpasswd = path.join(dir, 'htpasswd');
    try {
      execFileSync('htpasswd', ['-b', '-c', '-B', htpasswd, options.auth.username, options.auth.password], {
        stdio: 'ignore',
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(`htpasswd is not installed: ${installHint}`, { cause: error });
      throw error;
    }
    fs.chmodSync(htpasswd, 0o644);
  }
  const port = await freePort();
  const confFile = path.join(dir, 'squid.conf');
  fs.writeFileSync(confFile, config(dir, port, htpasswd));
  fs.chmodSync(confFile, 0o644);

  // A shell watchdog owns squid: when our end of its stdin closes (close(), or this test process dying, even by
  // SIGKILL) it kills squid, so no proxy outlives the tests. It exits as soon as squid exits.
  const watchdog = [
    'exec 3<&0',
    `${squidBinary} -N -f "$1" </dev/null &`,
    'pid=$!',
    '{ read -r _ <&3; kill -9 "$pid" 2>/dev/null; } &',
    'wait "$pid"',
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', watchdog, 'squid-watchdog', confFile], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const cacheLog = () => {
    try {
      return fs.readFileSync(path.join(dir, 'cache.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (!running || Date.now() > deadline) {
      child.stdin.end();
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`squid did not start on port ${port}:\n${output}\n${cacheLog()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }

  const accessLog = (): string[] => {
    try {
      return fs
        .readFileSync(path.join(dir, 'access.log'), 'utf8')
        .split('\n')
        .filter((line) => line !== '');
    } catch {
      return [];
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog,
    async waitForAccessLog(pattern, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const line = accessLog().find((l) => pattern.test(l));
        if (line !== undefined) return line;
        if (Date.now() > until)
          throw new Error(`no squid access log line matched ${pattern}:\n${accessLog().join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      // Squid keeps nothing worth a graceful shutdown here (its graceful stop takes about 2 s): the watchdog kills it.
      child.stdin.end();
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
