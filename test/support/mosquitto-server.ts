// A real mosquitto 2 broker on a free 127.0.0.1 port in a temp dir: anonymous or password logins, ACLs, TLS, restarts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, startWatched, waitUntilReady, type WatchedProcess } from './watched-process.js';

const mosquittoBinary = '/usr/sbin/mosquitto';
const passwdBinary = '/usr/bin/mosquitto_passwd';
const installHint = 'bash test/support/install-system-packages.sh (or apt-get install -y mosquitto)';

export interface MosquittoOptions {
  /** Logins the broker accepts (password_file); anonymous clients are refused when set. */
  users?: Record<string, string>;
  /** Lines of an acl_file, e.g. ["user alice", "topic write orders/#"]. */
  acl?: string[];
  /** A TLS listener instead of a plain one. */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** Keep sessions and queued messages in a file over restarts (persistence true). */
  persistent?: boolean;
  /** More lines of mosquitto.conf (e.g. "max_inflight_messages 2"). */
  settings?: string[];
}

export interface Mosquitto {
  port: number;
  /** mqtt://127.0.0.1:<port>, or mqtts://localhost:<port> with tls. */
  url: string;
  /** What the broker logged so far (its log file, then what the running process printed). */
  output(): string;
  /** Stops the broker, keeping its port and files, until resume(). */
  pause(): Promise<void>;
  /** Starts a paused broker again on the same port (sessions are back only when persistent). */
  resume(): Promise<void>;
  stop(): Promise<void>;
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

function configLines(dir: string, port: number, options: MosquittoOptions): string[] {
  const lines = [
    `listener ${port} 127.0.0.1`,
    ...(options.persistent ? ['persistence true', `persistence_location ${dir}/`] : ['persistence false']),
    `log_dest file ${path.join(dir, 'mosquitto.log')}`, // stdout would reach us only at exit (buffered)
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    // Run as root (the test's user), mosquitto would otherwise drop to its own user, who cannot read this dir.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
  ];
  if (options.users) {
    const file = path.join(dir, 'passwords');
    for (const [index, [user, password]] of Object.entries(options.users).entries()) {
      try {
        execFileSync(passwdBinary, [...(index === 0 ? ['-c'] : []), '-b', file, user, password], {
          stdio: 'pipe',
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new Error(`mosquitto_passwd is not installed: ${installHint}`, { cause: error });
        throw error;
      }
    }
    lines.push('allow_anonymous false', `password_file ${file}`);
  } else lines.push('allow_anonymous true');
  if (options.acl) {
    const file = path.join(dir, 'acl');
    fs.writeFileSync(file, options.acl.join('\n') + '\n');
    lines.push(`acl_file ${file}`);
  }
  if (options.tls)
    lines.push(
      `certfile ${options.tls.certFile}`,
      `keyfile ${options.tls.keyFile}`,
      `cafile ${options.tls.caFile}`,
    );
  return [...lines, ...(options.settings ?? []), ''];
}

/** Starts mosquitto under a watchdog; always stop() it. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  if (!fs.existsSync(mosquittoBinary)) throw new Error(`mosquitto is not installed: ${installHint}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosquitto-'));
  const port = await freePort();
  const confFile = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(confFile, configLines(dir, port, options).join('\n'));
  let server: WatchedProcess | undefined;
  const logFile = path.join(dir, 'mosquitto.log');
  const log = () => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const launch = async () => {
    server = await startWatched(mosquittoBinary, ['-c', confFile]);
    await waitUntilReady(server, () => canConnect(port), 'mosquitto');
  };
  const shutdown = async () => {
    await server?.stop('SIGTERM');
  };
  try {
    await launch();
  } catch (error) {
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: options.tls ? `mqtts://localhost:${port}` : `mqtt://127.0.0.1:${port}`,
    output: () => log() + (server?.output() ?? ''),
    pause: shutdown,
    resume: launch,
    async stop() {
      await shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
