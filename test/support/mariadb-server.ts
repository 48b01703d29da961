// A real MariaDB 10.11 server on a free 127.0.0.1 port in a temp dir (password auth over TCP), for capture tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { freePort, startWatched, waitUntilReady, type WatchedProcess } from './watched-process.js';

const installHint = 'apt-get install -y mariadb-server';

export interface MariaDbServer {
  host: string;
  port: number;
  database: string;
  /** Account with every privilege on `database`, password authentication over TCP. */
  user: string;
  password: string;
  /** Runs one statement as root (over the socket) and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Opens a root connection on `database` the caller drives (e.g. to hold a transaction open); the caller ends it. */
  connect(): Promise<mysql.Connection>;
  /** Stops the server (open sessions are cut) and starts it again on the same port and data. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

function binary(name: string): string {
  const found = ['/usr/sbin', '/usr/bin'].map((dir) => path.join(dir, name)).find((f) => fs.existsSync(f));
  if (!found) throw new Error(`MariaDB is not installed (${name} is missing): ${installHint}`);
  return found;
}

/** mariadb-install-db + mariadbd as root in a temp dir; ready in about a second. Always stop() it. */
export async function startMariaDb(): Promise<MariaDbServer> {
  const mariadbd = binary('mariadbd');
  const installDb = binary('mariadb-install-db');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mariadb-'));
  const dataDir = path.join(dir, 'data');
  const socketPath = path.join(dir, 'mysqld.sock');
  execFileSync(
    installDb,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { stdio: 'pipe' },
  );
  const port = await freePort();
  const args = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--socket=${socketPath}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--user=root',
    '--skip-log-bin',
    '--skip-name-resolve',
    `--pid-file=${path.join(dir, 'mysqld.pid')}`,
    `--log-error=${path.join(dir, 'error.log')}`,
    '--innodb-buffer-pool-size=32M',
    '--innodb-log-file-size=16M',
    '--innodb-flush-log-at-trx-commit=0',
    '--performance-schema=OFF',
  ];
  const root = (database?: string) =>
    mysql.createConnection({ socketPath, user: 'root', ...(database ? { database } : {}) });
  let server: WatchedProcess | undefined;
  const accepting = async () => {
    try {
      await (await root()).end();
      return true;
    } catch {
      return false;
    }
  };
  const launch = async () => {
    server = await startWatched(mariadbd, args);
    await waitUntilReady(server, accepting, 'MariaDB');
  };
  const shutdown = async () => {
    await server?.stop('SIGTERM');
  };
  const base = {
    host: '127.0.0.1',
    port,
    database: 'capture',
    user: 'agent',
    password: 'agent-test-password',
  };
  try {
    await launch();
    const setup = await root();
    await setup.query(`CREATE DATABASE ${base.database}`);
    await setup.query(`CREATE USER '${base.user}'@'127.0.0.1' IDENTIFIED BY '${base.password}'`);
    await setup.query(`GRANT ALL ON ${base.database}.* TO '${base.user}'@'127.0.0.1'`);
    await setup.end();
  } catch (error) {
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    ...base,
    async query<R>(sql: string, params: unknown[] = []) {
      const c = await root(base.database);
      try {
        const [rows] = await c.query(sql, params);
        return (Array.isArray(rows) ? rows : []) as R[];
      } finally {
        await c.end();
      }
    },
    async connect() {
      const c = await root(base.database);
      c.on('error', () => undefined);
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
