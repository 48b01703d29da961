// A real RabbitMQ 3 broker on free 127.0.0.1 ports in a temp dir, with its own epmd and users from a definitions file.
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { freePort, startWatched, waitUntilReady, type WatchedProcess } from './watched-process.js';

const serverScript = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const installHint = 'bash test/support/install-system-packages.sh (installs rabbitmq-server)';
/** Under load the broker takes over a minute to boot. */
const bootTimeoutMs = 150_000;

export interface RabbitUser {
  name: string;
  password: string;
  /** Permission regexes per vhost; a vhost the user has no entry for refuses the user. */
  permissions: Record<string, { configure: string; write: string; read: string }>;
}

export interface RabbitOptions {
  /** Extra vhosts besides "/" (admin may use all of them). */
  vhosts?: string[];
  /** Users besides admin. */
  users?: RabbitUser[];
  /** Also listen for amqps on `tlsPort` with this server certificate (copied for the rabbitmq user). */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** More rabbitmq.conf lines, e.g. a tiny vm_memory_high_watermark to make the broker block publishers. */
  config?: string[];
}

export interface RabbitServer {
  host: string;
  port: number;
  /** The amqps port when started with `tls`. */
  tlsPort?: number;
  /** Administrator with every permission on every vhost. */
  admin: { username: string; password: string };
  /** amqp://127.0.0.1:port/<vhost> without credentials. */
  url(vhost?: string): string;
  /** A connection as admin (the caller closes it). */
  connect(vhost?: string): Promise<amqp.ChannelModel>;
  /** Runs `work` on an admin channel of `vhost` and closes it after. */
  withChannel<T>(vhost: string, work: (channel: amqp.Channel) => Promise<T>): Promise<T>;
  /**
   * Freezes the broker process (SIGSTOP): connections stay open but nothing is answered, until thaw(). Resolves once
   * every thread of the VM is stopped (a signal lands asynchronously; a busy scheduler thread could still answer).
   */
  freeze(): Promise<void>;
  thaw(): void;
  /** Stops the broker (clients are cut off); the data stays for start(). */
  pause(): Promise<void>;
  /** Starts a paused broker again on the same ports and data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Waits until every thread of `pid` is in the stopped state (T in /proc/<pid>/task/<tid>/stat). */
async function waitUntilStopped(pid: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const stopped = () =>
    fs.readdirSync(`/proc/${pid}/task`).every((tid) => {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state === 'T' || state === 't';
    });
  while (!stopped()) {
    if (Date.now() > deadline)
      throw new Error(`RabbitMQ (pid ${pid}) did not stop within ${timeoutMs} ms of SIGSTOP`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** How RabbitMQ stores a password: base64(salt(4) + sha256(salt + utf8 password)). */
export function rabbitPasswordHash(password: string): string {
  const salt = randomBytes(4);
  const digest = createHash('sha256')
    .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
    .digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

function rabbitIds(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'rabbitmq'], { encoding: 'utf8' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch (error) {
    throw new Error(`the rabbitmq system user is missing: ${installHint}`, { cause: error });
  }
}

function definitions(options: RabbitOptions, admin: RabbitServer['admin']) {
  const vhosts = ['/', ...(options.vhosts ?? [])];
  const all = { configure: '.*', write: '.*', read: '.*' };
  const users = [
    { name: admin.username, password: admin.password, tags: 'administrator' },
    ...(options.users ?? []).map((u) => ({ name: u.name, password: u.password, tags: '' })),
  ];
  return {
    users: users.map((u) => ({
      name: u.name,
      password_hash: rabbitPasswordHash(u.password),
      hashing_algorithm: 'rabbit_password_hashing_sha256',
      tags: u.tags,
    })),
    vhosts: vhosts.map((name) => ({ name })),
    permissions: [
      ...vhosts.map((vhost) => ({ user: admin.username, vhost, ...all })),
      ...(options.users ?? []).flatMap((u) =>
        Object.entries(u.permissions).map(([vhost, p]) => ({ user: u.name, vhost, ...p })),
      ),
    ],
  };
}

function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else fs.chownSync(child, uid, gid);
  }
}

/**
 * rabbitmq-server as the rabbitmq user with its own epmd (so nothing stays behind), ready in seconds on a quiet
 * machine and up to a minute or two under load. Start one per test file (beforeAll) and always stop() it.
 */
export async function startRabbitMQ(options: RabbitOptions = {}): Promise<RabbitServer> {
  if (!fs.existsSync(serverScript)) throw new Error(`RabbitMQ is not installed: ${installHint}`);
  const { uid, gid } = rabbitIds();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rabbitmq-'));
  const admin = { username: 'admin', password: 'admin-test-password' };
  const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const node = `rabbit-${path.basename(dir).slice('rabbitmq-'.length).toLowerCase()}@localhost`;
  const tlsPort = options.tls ? await freePort() : undefined;
  for (const sub of ['mnesia', 'log', 'home']) fs.mkdirSync(path.join(dir, sub));
  const tlsLines: string[] = [];
  if (options.tls) {
    for (const [name, from] of Object.entries(options.tls))
      fs.copyFileSync(from, path.join(dir, `${name}.pem`));
    tlsLines.push(
      `listeners.ssl.default = 127.0.0.1:${tlsPort}`,
      `ssl_options.cacertfile = ${path.join(dir, 'caFile.pem')}`,
      `ssl_options.certfile = ${path.join(dir, 'certFile.pem')}`,
      `ssl_options.keyfile = ${path.join(dir, 'keyFile.pem')}`,
      'ssl_options.verify = verify_none',
      'ssl_options.fail_if_no_peer_cert = false',
    );
  }
  fs.writeFileSync(path.join(dir, 'definitions.json'), JSON.stringify(definitions(options, admin)));
  fs.writeFileSync(path.join(dir, 'enabled_plugins'), '[].\n');
  fs.writeFileSync(
    path.join(dir, 'rabbitmq.conf'),
    [
      'loopback_users = none',
      `load_definitions = ${path.join(dir, 'definitions.json')}`,
      'log.console = true',
      'log.console.level = warning',
      'log.file = false',
      // a test machine's disk may be nearly full; the broker would block publishers below 50 MB
      'disk_free_limit.absolute = 1MB',
      ...tlsLines,
      ...(options.config ?? []),
      '',
    ].join('\n'),
  );
  chownTree(dir, uid, gid);
  const env = [
    `HOME=${path.join(dir, 'home')}`,
    `ERL_EPMD_PORT=${epmdPort}`,
    `RABBITMQ_NODENAME=${node}`,
    `RABBITMQ_NODE_IP_ADDRESS=127.0.0.1`,
    `RABBITMQ_NODE_PORT=${port}`,
    `RABBITMQ_DIST_PORT=${distPort}`,
    `RABBITMQ_MNESIA_BASE=${path.join(dir, 'mnesia')}`,
    `RABBITMQ_LOG_BASE=${path.join(dir, 'log')}`,
    `RABBITMQ_CONFIG_FILE=${path.join(dir, 'rabbitmq')}`,
    `RABBITMQ_ENABLED_PLUGINS_FILE=${path.join(dir, 'enabled_plugins')}`,
    // run the VM in place of the script, so the watched pid is beam.smp itself and SIGTERM stops it cleanly
    'RUNNING_UNDER_SYSTEMD=true',
  ];
  const asRabbit = ['--reuid=rabbitmq', '--regid=rabbitmq', '--init-groups', '--'];
  const url = (vhost = '/') => `amqp://127.0.0.1:${port}/${encodeURIComponent(vhost)}`;
  const connect = (vhost = '/') =>
    amqp.connect({ ...admin, hostname: '127.0.0.1', port, vhost }, { timeout: 2000 });
  const accepting = async () => {
    try {
      await (await connect()).close();
      return true;
    } catch {
      return false;
    }
  };
  let epmd: WatchedProcess | undefined;
  let broker: WatchedProcess | undefined;
  const launch = async () => {
    broker = await startWatched('env', [...env, 'setpriv', ...asRabbit, serverScript]);
    await waitUntilReady(broker, accepting, 'RabbitMQ', bootTimeoutMs);
  };
  const pause = async () => {
    await broker?.stop('SIGTERM', 30_000);
  };
  const stopAll = async () => {
    await pause();
    await epmd?.stop('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    epmd = await startWatched('setpriv', [
      ...asRabbit,
      'epmd',
      '-port',
      String(epmdPort),
      '-address',
      '127.0.0.1',
    ]);
    await launch();
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    ...(tlsPort ? { tlsPort } : {}),
    admin,
    url,
    connect,
    async withChannel(vhost, work) {
      const connection = await connect(vhost);
      try {
        const channel = await connection.createChannel();
        return await work(channel);
      } finally {
        await connection.close().catch(() => undefined);
      }
    },
    freeze: async () => {
      if (!broker) return;
      process.kill(broker.pid, 'SIGSTOP');
      await waitUntilStopped(broker.pid);
    },
    thaw: () => broker && process.kill(broker.pid, 'SIGCONT'),
    pause,
    resume: launch,
    stop: stopAll,
  };
}
