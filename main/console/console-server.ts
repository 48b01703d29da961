// The web console's request handler: guards, token exchange, contract calls (POST /api/call/<method>), events (SSE), bundle download, metrics, pages.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { agentMethods, isAgentMethod, type Role } from '../../preload/contract/api.js';
import type { ConsoleAuth } from './console-auth.js';
import { remoteOf, tooMany, type Caller, type ConsoleLogger } from './console-auth.js';
import type { ConsoleSession, SessionStore } from './console-sessions.js';
import { contractErrorOf, internalErrorShape } from './error-shape.js';
import { openEventStream } from './event-stream.js';
import {
  HttpError,
  sendError,
  sendHttpError,
  sendJson,
  setSecurityHeaders,
  statusForCode,
} from './http-response.js';
import { readJsonBody } from './read-json-body.js';
import { checkHost, checkJsonPost, checkOrigin, isLoopbackAddress } from './request-guards.js';
import { requestUrl } from './request-url.js';
import { serveStatic, type StaticSite } from './static-files.js';
import type { StreamRegistry } from './stream-registry.js';
import { UnlockPaused, type UnlockLimiter } from './unlock-limiter.js';

/** What the console needs of the contract handlers (main/api createAgentHandlers). */
export interface ConsoleHandlers {
  call(method: string, args: unknown, session: { role: Role; actor?: string }): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export type MetricsSource = () => Promise<{ text: string; contentType: string }>;

export interface ConsoleContext {
  handlers: ConsoleHandlers;
  auth: ConsoleAuth;
  sessions: SessionStore;
  unlockLimiter: UnlockLimiter;
  logger: ConsoleLogger;
  hostNames: ReadonlySet<string>;
  /** The port the server really listens on (known after listen). */
  port: () => number;
  /** The renderer folder and its page (read at start). */
  site: StaticSite;
  metrics?: MetricsSource;
  openMetricsOnLoopback: boolean;
  heartbeatMs: number;
  bodyLimitBytes: number;
  /** Open event streams, capped in total and per session; closing the console ends them. */
  streams: StreamRegistry;
  /** Served over HTTPS: Origin must say https, and the session cookie is Secure. */
  secure?: boolean;
}

export function createRequestHandler(ctx: ConsoleContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    setSecurityHeaders(res);
    route(ctx, req, res).catch((error: unknown) => answerError(ctx, req, res, error));
  };
}

async function route(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const host = checkHost(req, ctx.hostNames, ctx.port());
  checkOrigin(req, host, ctx.secure ?? false);
  const path = requestUrl(req).pathname;
  if (path === '/api/session') return exchangeToken(ctx, req, res);
  if (path.startsWith('/api/call/')) return call(ctx, req, res, path.slice('/api/call/'.length));
  if (path === '/api/events') return events(ctx, req, res);
  if (path === bundleDownloadPath) return downloadBundle(ctx, req, res);
  if (path === '/metrics') return metrics(ctx, req, res);
  if (path === '/api' || path.startsWith('/api/')) {
    throw new HttpError(404, 'not-found', `no API at ${path}`, 'call POST /api/call/<method>');
  }
  return serveStatic(req, res, ctx.site, path);
}

async function exchangeToken(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  checkJsonPost(req, false);
  const body = await readJsonBody(req, ctx.bodyLimitBytes);
  ctx.auth.checkToken(req, (body as { token?: unknown } | undefined)?.token);
  const session = ctx.sessions.create();
  ctx.logger.info({ remote: remoteOf(req) }, 'console: a browser signed in');
  // The page keeps sessionToken in memory and sends it as X-Agent-Session; the cookie alone signs nothing in.
  sendJson(
    res,
    200,
    { role: 'viewer', sessionToken: session.headerToken },
    { 'Set-Cookie': ctx.sessions.cookie(session, ctx.secure ?? false) },
  );
}

/** The session handed to the handlers; the actor names this transport in the audit log. */
const as = (role: Role) => ({ role, actor: `${role} (console)` });

function roleOf(ctx: ConsoleContext, caller: Caller, method: string): Role {
  if (!caller.session) return 'viewer';
  return ctx.sessions.role(caller.session, isAgentMethod(method) && agentMethods[method].role === 'admin');
}

async function call(
  ctx: ConsoleContext,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
): Promise<void> {
  const caller = ctx.auth.authenticate(req);
  checkJsonPost(req, caller.viaCookie);
  const method = name;
  const args = await readJsonBody(req, ctx.bodyLimitBytes);
  if (method === 'unlockAdmin') return unlock(ctx, req, res, caller.session, args);
  const role = roleOf(ctx, caller, method);
  const result = await ctx.handlers.call(method, args, as(role));
  if (method === 'lockAdmin' && caller.session) ctx.sessions.lockAdmin(caller.session);
  sendJson(res, 200, method === 'session' ? withAdminUntil(result, caller.session, role) : result);
}

/** The browser's download of a support bundle: exported like `exportDiagnostics` (a copy stays in the data dir), then streamed. */
export const bundleDownloadPath = '/api/download/diagnostics';

async function downloadBundle(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const caller = ctx.auth.authenticate(req);
  checkJsonPost(req, caller.viaCookie);
  await readJsonBody(req, ctx.bodyLimitBytes);
  const role = roleOf(ctx, caller, 'exportDiagnostics');
  const { path, fileName } = (await ctx.handlers.call('exportDiagnostics', undefined, as(role))) as {
    path: string;
    fileName: string;
  };
  const { size } = await stat(path);
  res.writeHead(200, {
    'Content-Type': 'application/zip',
    'Content-Length': size,
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'no-store',
    'X-Bundle-Saved-To': encodeURIComponent(path),
  });
  await pipeline(createReadStream(path), res);
}

/** The handler checks the passphrase; the transport raises this session only; wrong guesses pause per session and overall. */
async function unlock(
  ctx: ConsoleContext,
  req: IncomingMessage,
  res: ServerResponse,
  session: ConsoleSession | undefined,
  args: unknown,
): Promise<void> {
  if (!session) {
    throw new HttpError(
      403,
      'forbidden',
      'admin unlock needs a console session; bearer-token calls stay viewer',
      'unlock from the console page, or use the CLI on this machine for admin work',
    );
  }
  let result: unknown;
  try {
    result = await ctx.unlockLimiter.attempt(session.id, () =>
      ctx.handlers.call('unlockAdmin', args, as(ctx.sessions.role(session))),
    );
  } catch (error) {
    if (error instanceof UnlockPaused) throw tooMany(error.waitMs, error.message);
    if (contractErrorOf(error)?.code === 'forbidden') {
      ctx.logger.warn({ remote: remoteOf(req) }, 'console: admin unlock failed');
    }
    throw error;
  }
  ctx.sessions.unlockAdmin(session);
  ctx.logger.info({ remote: remoteOf(req) }, 'console: a session unlocked admin');
  sendJson(res, 200, result);
}

/** The page shows the time left of an admin role and drops to viewer when it lapses, without a reload. */
function withAdminUntil(result: unknown, session: ConsoleSession | undefined, role: Role): unknown {
  if (role !== 'admin' || session?.adminUntil === undefined) return result;
  return { ...(result as object), adminUntil: session.adminUntil };
}

async function events(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET')
    throw new HttpError(405, 'invalid-argument', 'use GET for events', 'use GET', { Allow: 'GET' });
  const caller = ctx.auth.authenticate(req);
  const owner = caller.session ? `session ${caller.session.id}` : 'bearer token';
  ctx.streams.assertRoom(owner);
  const status = await ctx.handlers.call('status', undefined, as(roleOf(ctx, caller, 'status')));
  ctx.streams.assertRoom(owner);
  const close = openEventStream(req, res, (listener) => ctx.handlers.subscribe(listener), {
    heartbeatMs: ctx.heartbeatMs,
    initial: [['status', status]],
  });
  const untrack = ctx.streams.track(owner, close);
  req.on('close', untrack);
}

async function metrics(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!ctx.metrics)
    throw new HttpError(404, 'not-found', 'metrics are not enabled', 'start the agent with metrics');
  if (req.method !== 'GET')
    throw new HttpError(405, 'invalid-argument', 'use GET for metrics', 'use GET', { Allow: 'GET' });
  const open = ctx.openMetricsOnLoopback && isLoopbackAddress(req.socket.remoteAddress);
  if (!open) ctx.auth.authenticate(req);
  const { text, contentType } = await ctx.metrics();
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(text);
}

function answerError(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Do not keep reading a body we refuse (e.g. 413): answer, then close the connection.
  if (!req.complete) res.setHeader('Connection', 'close');
  if (error instanceof HttpError) return sendHttpError(res, error);
  const shape = contractErrorOf(error);
  if (shape) return sendError(res, statusForCode(shape.code), shape);
  ctx.logger.error({ err: error, url: req.url?.split('?')[0] }, 'console: request failed');
  sendError(res, 500, internalErrorShape);
}
