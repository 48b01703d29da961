// Starts the local web console of a headless agent: loopback by default, token-protected, its address written for `console-url`.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ConsoleSettings, ConsoleTlsSetting } from '../config/console-settings.js';
import { removeConsoleAddress, writeConsoleAddress, consoleOrigin } from './console-address.js';
import { ConsoleAuth, type ConsoleLogger } from './console-auth.js';
import { ConsoleError } from './console-error.js';
import { loadConsoleTls, type ConsoleTls } from './console-tls.js';
import { createRequestHandler, type ConsoleHandlers, type MetricsSource } from './console-server.js';
import { limitConnections } from './connection-limits.js';
import { SessionStore } from './console-sessions.js';
import { loadOrCreateConsoleToken } from './console-token.js';
import { FailureLimiter, type FailureLimiterOptions } from './failure-limiter.js';
import { defaultBodyLimitBytes } from './read-json-body.js';
import { allowedHostNames, isLoopbackHost } from './request-guards.js';
import { certificateNames, loadOrCreateSelfSignedTls } from './self-signed-tls.js';
import { defaultStaticDir, staticSite } from './static-files.js';
import { StreamRegistry } from './stream-registry.js';
import { UnlockLimiter } from './unlock-limiter.js';

export interface StartConsoleOptions extends Partial<Omit<ConsoleSettings, 'enabled'>> {
  handlers: ConsoleHandlers;
  dataDir: string;
  logger: ConsoleLogger;
  /** The built renderer; default dist/renderer. */
  staticDir?: string;
  /** Prometheus exposition for GET /metrics (e.g. AgentMetrics); without it /metrics is 404. */
  metrics?: MetricsSource;
  /** Admin falls back to viewer after this long without an admin call (default 15 min). */
  adminIdleMs?: number;
  /** SSE heartbeat interval (default 15 s). */
  heartbeatMs?: number;
  bodyLimitBytes?: number;
  /** Wrong console tokens of all callers together: 10 free by default, then waits of 1 s, 2 s, 4 s … */
  tokenLimits?: FailureLimiterOptions;
  /** Limits of wrong admin passphrases per session and overall (shared with desktop IPC when given). */
  unlockLimiter?: UnlockLimiter;
  /** Sockets open at once, in total (default 128) and per client address (default 32); more are closed at once. */
  maxConnections?: number;
  maxConnectionsPerClient?: number;
  /** A socket with no traffic for this long is closed, one that never sends a byte too (default 30 s; SSE heartbeats keep streams alive). */
  idleSocketMs?: number;
  /** Event streams open at once, in total (default 32) and per session or bearer token (default 4). */
  maxStreams?: number;
  maxStreamsPerSession?: number;
  /** When the port is taken, listen on a free one instead (for the default port; a port set on purpose fails). */
  fallbackToFreePort?: boolean;
}

export interface RunningConsole {
  /** The console's address without the token (`integration-agent console-url` prints the sign-in link). */
  url: string;
  port: number;
  /** SHA-256 fingerprint of the HTTPS certificate (colon-separated hex), when served over HTTPS. */
  certificateSha256?: string;
  /** The port that was wanted when it was taken and a free one was used instead. */
  fallbackFrom?: number;
  close(): Promise<void>;
}

function checkBindHost(host: string, allowRemote: boolean, secure: boolean, logger: ConsoleLogger): void {
  if (isLoopbackHost(host)) return;
  if (allowRemote && !secure)
    throw new ConsoleError(
      `console.host is ${host} with allowRemote but without console.tls: the token would cross the network in clear`,
      'set console.tls.certFile and console.tls.keyFile, or console.tls: { selfSigned: true }, or keep the console on 127.0.0.1 behind an SSH tunnel',
    );
  if (!allowRemote) {
    throw new ConsoleError(
      `console.host is ${host}, which is not a loopback address; the console refuses to listen there`,
      'keep 127.0.0.1 and reach it through an SSH tunnel or a TLS reverse proxy, or set console.allowRemote: true',
    );
  }
  logger.warn({ host }, 'console: listening on a non-loopback address over HTTPS (console.allowRemote)');
}

async function consoleTls(
  setting: ConsoleTlsSetting,
  options: StartConsoleOptions,
  host: string,
): Promise<ConsoleTls> {
  if (!('selfSigned' in setting)) return loadConsoleTls(setting);
  const names = certificateNames(host, options.allowRemote ? (options.allowedHosts ?? []) : []);
  const tls = await loadOrCreateSelfSignedTls(options.dataDir, names);
  if (tls.created) {
    options.logger.warn(
      { certificateSha256: tls.fingerprint, names },
      'console: generated a self-signed certificate; compare its fingerprint with the one the browser shows',
    );
  }
  return tls;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'EADDRINUSE'
          ? 'set console.port to a free port (0 picks one), or stop what uses it'
          : 'check console.host and console.port';
      reject(
        new ConsoleError(
          `the console cannot listen on ${host}:${port} (${error.code ?? error.message})`,
          hint,
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Throws a ConsoleError (message + fix) when the host is refused, the port is taken or the token file is unsafe. */
export async function startConsole(options: StartConsoleOptions): Promise<RunningConsole> {
  const host = options.host ?? '127.0.0.1';
  const tls = options.tls ? await consoleTls(options.tls, options, host) : undefined;
  checkBindHost(host, options.allowRemote ?? false, tls !== undefined, options.logger);
  const token = await loadOrCreateConsoleToken(options.dataDir);
  const adminIdleMs =
    options.adminIdleMs ?? (options.adminIdleMinutes ? options.adminIdleMinutes * 60_000 : undefined);
  const sessions = new SessionStore(adminIdleMs ? { adminIdleMs } : {});
  const limiter = new FailureLimiter({ freeFailures: 10, ...options.tokenLimits });
  const streams = new StreamRegistry(options.maxStreams ?? 32, options.maxStreamsPerSession ?? 4);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const idleSocketMs = Math.max(options.idleSocketMs ?? 30_000, heartbeatMs * 2);
  let port = options.port ?? 4517;
  const site = staticSite(options.staticDir ?? defaultStaticDir());
  await site.page.current(); // read now, while start-up has the event loop: the first visitor costs one stat
  const handler = createRequestHandler({
    handlers: options.handlers,
    auth: new ConsoleAuth({ token, sessions, limiter, logger: options.logger }),
    sessions,
    unlockLimiter: options.unlockLimiter ?? new UnlockLimiter(),
    logger: options.logger,
    hostNames: allowedHostNames(host, options.allowRemote ? (options.allowedHosts ?? []) : []),
    port: () => port,
    site,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    openMetricsOnLoopback: options.openMetricsOnLoopback ?? false,
    heartbeatMs,
    bodyLimitBytes: options.bodyLimitBytes ?? defaultBodyLimitBytes,
    streams,
    secure: tls !== undefined,
  });
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler);
  limitConnections(server, {
    maxConnections: options.maxConnections ?? 128,
    maxPerClient: options.maxConnectionsPerClient ?? 32,
    idleSocketMs,
  });
  const wanted = port;
  try {
    port = await listen(server, host, port);
  } catch (error) {
    // The default port taken (another agent, another program): a free port beats no console at all.
    const taken = error instanceof ConsoleError && error.message.includes('EADDRINUSE');
    if (!taken || !(options.fallbackToFreePort ?? false)) throw error;
    port = await listen(server, host, 0);
    options.logger.warn({ wanted, port }, 'console: the port was in use; listening on a free port instead');
  }
  await writeConsoleAddress(options.dataDir, {
    host,
    port,
    pid: process.pid,
    ...(tls ? { secure: true, certificateSha256: tls.fingerprint } : {}),
  });
  const url = `${consoleOrigin(host, port, tls !== undefined)}/`;
  options.logger.info({ url, ...(tls ? { certificateSha256: tls.fingerprint } : {}) }, 'console: listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    ...(tls ? { certificateSha256: tls.fingerprint } : {}),
    ...(port !== wanted && wanted !== 0 ? { fallbackFrom: wanted } : {}),
    close() {
      closing ??= (async () => {
        streams.closeAll();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await removeConsoleAddress(options.dataDir);
      })();
      return closing;
    },
  };
}
