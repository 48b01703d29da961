// Starts the web console over a real Engine (folder → ingest server) with the contract handlers, plus a raw HTTP client that can forge Host and Origin.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach } from 'vitest';
import {
  setAdminPassphrase,
  hasAdminPassphrase,
  verifyAdminPassphrase,
} from '../../main/api/admin-passphrase.js';
import type { AgentBackend } from '../../main/api/agent-backend.js';
import { createAgentHandlers } from '../../main/api/agent-handlers.js';
import { unavailable } from '../../main/api/contract-error.js';
import { readConsoleToken } from '../../main/console/console-token.js';
import {
  startConsole,
  type RunningConsole,
  type StartConsoleOptions,
} from '../../main/console/start-console.js';
import { useEngineHarness } from '../support/engine-harness.js';

export const adminPassphrase = 'correct horse battery staple';
/** What the harness's exportDiagnostics saves as the bundle. */
export const bundleStandIn = 'PK stand-in bundle';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The client's own address, e.g. 127.0.0.7 (any local process can pick any 127.0.0.0/8 address). */
  localAddress?: string;
}

export interface ConsoleUnderTest {
  console: RunningConsole;
  dataDir: string;
  inbox: string;
  token: string;
  host: string;
  origin: string;
  staticDir: string;
  /** Listeners subscribed to the handlers right now (to see SSE clean-up). */
  subscribers(): number;
  replayed: number[][];
  send(path: string, options?: SendOptions): Promise<Answer>;
  /** POST JSON as the console page would (Origin of the console, session cookie). */
  post(path: string, body: unknown, cookie: string, headers?: Record<string, string>): Promise<Answer>;
  /** Signs in; the answer carries the cookie and the header token (pass it to post or sessionHeaders). */
  signIn(): Promise<string>;
}

/** A built renderer stand-in: index.html, one asset, a dotfile, and a secret file outside the folder. */
function fakeStaticDir(dir: string): string {
  const staticDir = join(dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(
    join(staticDir, 'index.html'),
    '<!doctype html><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(staticDir, '.env'), 'HIDDEN=1');
  writeFileSync(join(dir, 'secret.txt'), 'outside the static folder');
  return staticDir;
}

export function useConsole(prefix: string) {
  const h = useEngineHarness(prefix);
  const running: RunningConsole[] = [];
  afterEach(async () => {
    for (const c of running.splice(0)) await c.close();
  });

  return async function start(options: Partial<StartConsoleOptions> = {}): Promise<ConsoleUnderTest> {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({ dataDir, inbox, url: ingest.url });
    await setAdminPassphrase(dataDir, adminPassphrase);
    let subscribers = 0;
    const replayed: number[][] = [];
    const implemented: Partial<AgentBackend> = {
      status: () => engine.status(),
      replayDeadLetters: ({ ids }) => {
        replayed.push(ids);
        return { done: ids, skipped: [] };
      },
      // A stand-in bundle file where the real backend writes its zips: the console streams whatever the backend saved.
      exportDiagnostics: () => {
        const folder = join(dataDir, 'diagnostics');
        mkdirSync(folder, { recursive: true });
        const path = join(folder, 'diagnostics-test.zip');
        writeFileSync(path, bundleStandIn);
        return { path, fileName: 'diagnostics-test.zip', totalBytes: bundleStandIn.length };
      },
      adminPassphraseSet: () => hasAdminPassphrase(dataDir),
      verifyAdminPassphrase: (passphrase) => verifyAdminPassphrase(dataDir, passphrase),
      subscribe(listener) {
        subscribers++;
        const stop = engine.onStatus((status) => listener('status', status));
        return () => {
          subscribers--;
          stop();
        };
      },
    };
    const backend = new Proxy(implemented, {
      get: (target, name: string) =>
        (target as Record<string, unknown>)[name] ??
        (() => {
          throw unavailable(name);
        }),
    }) as AgentBackend;
    const staticDir = fakeStaticDir(join(dataDir, '..'));
    const web = await startConsole({
      handlers: createAgentHandlers(backend, { validateResults: true }),
      dataDir,
      port: 0,
      staticDir,
      logger: pino({ level: 'silent' }),
      heartbeatMs: 100,
      ...options,
    });
    running.push(web);
    const host = `127.0.0.1:${web.port}`;
    const send = (path: string, o: SendOptions = {}) =>
      sendRaw(web.port, path, { ...o, headers: { host, ...o.headers } });
    const post = (path: string, body: unknown, signedIn: string, headers: Record<string, string> = {}) =>
      send(path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: `http://${host}`,
          ...sessionHeaders(signedIn),
          ...headers,
        },
        body: JSON.stringify(body),
      });
    const token = await readConsoleToken(dataDir);
    return {
      console: web,
      dataDir,
      inbox,
      token,
      host,
      origin: `http://${host}`,
      staticDir,
      subscribers: () => subscribers,
      replayed,
      send,
      post,
      async signIn() {
        const answer = await post('/api/session', { token }, '');
        const cookie = String(answer.headers['set-cookie']?.[0] ?? '');
        if (answer.status !== 200 || !cookie)
          throw new Error(`sign-in failed: ${answer.status} ${answer.text}`);
        const { sessionToken } = answer.json() as { sessionToken: string };
        return `${cookie.split(';')[0]!}${sessionSeparator}${sessionToken}`;
      },
    };
  };
}

/** What signIn() returns: the cookie and the header token, as the page holds them. */
const sessionSeparator = ' + ';

/** The request headers of a signed-in page (cookie and X-Agent-Session) from what signIn() returned. */
export function sessionHeaders(signedIn: string): Record<string, string> {
  const [cookie, sessionToken] = signedIn.split(sessionSeparator);
  return {
    ...(cookie ? { cookie } : {}),
    ...(sessionToken ? { 'x-agent-session': sessionToken } : {}),
  };
}

/** node:http, so tests can send any Host header and raw (even broken) bodies. */
export function sendRaw(port: number, path: string, options: SendOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
