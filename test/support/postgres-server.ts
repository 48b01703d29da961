// A real PostgreSQL 15 server on a free 127.0.0.1 port in a temp dir (password auth), for capture tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startWatched, waitUntilReady, type WatchedProcess } from './watched-process.js';

const binDir = '/usr/lib/postgresql/15/bin';
const installHint = 'apt-get install -y postgresql';

export interface PostgresServer {
  host: string;
  port: number;
  database: string;
  /** Superuser with password authentication. */
  user: string;
  password: string;
  /** postgres://user:password@127.0.0.1:port/database */
  url: string;
  /** Runs one statement as the superuser and returns its rows. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<R[]>;
  /** Opens a superuser connection the caller drives (e.g. to hold a transaction open); the caller ends it. */
  connect(): Promise<pg.Client>;
  /** Stops the server (fast shutdown: open sessions are cut) and starts it again on the same port and data. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

function postgresIds(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch (error) {
    throw new Error(`the postgres system user is missing: ${installHint}`, { cause: error });
  }
}

export interface PostgresOptions {
  /** Also accept TLS with this certificate and key (plain connections still work). */
  tls?: { certFile: string; keyFile: string };
  /** wal_level=logical with room for replication slots and WAL senders (logical decoding tests). */
  logical?: boolean;
}

/** initdb + postgres as the postgres user (initdb refuses root); ready in about a second. Always stop() it. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  if (!fs.existsSync(path.join(binDir, 'postgres'))) {
    throw new Error(`PostgreSQL 15 is not installed: ${installHint}`);
  }
  const { uid, gid } = postgresIds();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-'));
  fs.chownSync(dir, uid, gid);
  const dataDir = path.join(dir, 'data');
  const password = 'capture-test-password';
  const pwFile = path.join(dir, 'pw');
  fs.writeFileSync(pwFile, password);
  fs.chownSync(pwFile, uid, gid);
  const asPostgres = ['--reuid=postgres', '--regid=postgres', '--init-groups', '--'];
  execFileSync(
    'setpriv',
    [
      ...asPostgres,
      path.join(binDir, 'initdb'),
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwFile}`,
      '--no-sync',
      '--no-instructions',
    ],
    { stdio: 'pipe' },
  );
  const tls: string[] = [];
  if (options.tls) {
    for (const [name, from] of [
      ['server.crt', options.tls.certFile],
      ['server.key', options.tls.keyFile],
    ] as const) {
      fs.copyFileSync(from, path.join(dir, name));
      fs.chownSync(path.join(dir, name), uid, gid);
      fs.chmodSync(path.join(dir, name), 0o600); // postgres refuses a key others can read
    }
    tls.push(
      'ssl=on',
      `ssl_cert_file=${path.join(dir, 'server.crt')}`,
      `ssl_key_file=${path.join(dir, 'server.key')}`,
    );
  }
  const port = await freePort();
  const settings = [
    ...tls,
    `port=${port}`,
    `unix_socket_directories=${dir}`,
    'listen_addresses=127.0.0.1',
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'shared_buffers=16MB',
    'max_connections=40',
    ...(options.logical ? ['wal_level=logical', 'max_replication_slots=4', 'max_wal_senders=4'] : []),
  ].flatMap((s) => ['-c', s]);

  let server: WatchedProcess | undefined;
  const base = { host: '127.0.0.1', port, database: 'postgres', user: 'postgres', password };
  const client = () => new pg.Client({ ...base, connectionTimeoutMillis: 2000 });
  const accepting = async () => {
    const c = client();
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      return false;
    }
  };
  const launch = async () => {
    server = await startWatched('setpriv', [
      ...asPostgres,
      path.join(binDir, 'postgres'),
      '-D',
      dataDir,
      ...settings,
    ]);
    await waitUntilReady(server, accepting, 'PostgreSQL');
  };
  const shutdown = async () => {
    await server?.stop('SIGINT'); // fast shutdown: sessions are terminated, then a clean stop
  };
  try {
    await launch();
  } catch (error) {
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    ...base,
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const c = client();
      // A server restart terminates the session: the query rejects; without a listener pg also throws it uncaught.
      c.on('error', () => undefined);
      await c.connect();
      try {
        return (await c.query<R>(sql, params)).rows;
      } finally {
        await c.end();
      }
    },
    async connect() {
      const c = client();
      c.on('error', () => undefined);
      await c.connect();
      return c;
    },
    async restart(options = {}) {
      await shutdown();
      await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 0));
      await launch();
    },
    async stop() {
      await shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
