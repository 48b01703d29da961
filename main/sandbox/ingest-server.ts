// A loopback HTTP ingest API implementing the IETF Idempotency-Key semantics: the sandbox destination and the tests' server.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../shared/error-message.js';
import type { IngestStats } from './ingest-stats.js';
import { IngestStore, type AppliedItem, type AppliedRecord } from './ingest-store.js';
import { renderSandboxPage } from './sandbox-page.js';

/** A fault a test (or a curious user) injects into one request. */
export type IngestFault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** 429 asking to come back in `seconds`: as Retry-After delay-seconds, as a Retry-After HTTP date, or as RateLimit-Reset. */
  | { kind: 'rate-limit'; seconds: number; form?: 'seconds' | 'http-date' | 'ratelimit-reset' }
  /** Destroy the socket without an answer; `afterApply` first applies the record, like a server that crashed after commit. */
  | { kind: 'reset'; afterApply?: boolean }
  /** Hold the key in progress and never answer, until the client gives up (closes the connection); nothing is applied. */
  | { kind: 'hang' }
  /** Hold the key in progress for `ms`, then apply and answer, even if the client gave up meanwhile. */
  | { kind: 'delay'; ms: number }
  /** Apply, send the headers, then trickle the body `chunkBytes` every `intervalMs` (defaults 1 byte / 50 ms). */
  | { kind: 'slow'; chunkBytes?: number; intervalMs?: number }
  /** Read the request body at `bytesPerSecond` (throttles big uploads; delays small ones by size / rate). */
  | { kind: 'slow-read'; bytesPerSecond: number };

export interface IngestRequestInfo {
  key: string | undefined;
  path: string;
  /** 1-based count of requests seen by this server. */
  seq: number;
}

export type FaultPlan = (request: IngestRequestInfo) => IngestFault | undefined;

/** Decides whether a request may be applied; `authorization` is the raw Authorization header. */
export type Authorize = (
  authorization: string | undefined,
  req: IncomingMessage,
) => Promise<boolean> | boolean;

export interface IngestServerOptions {
  port?: number;
  /** SQLite file that remembers applied keys across restarts; ':memory:' (default) remembers them for the process. */
  storeFile?: string;
  faults?: FaultPlan;
  maxBodyBytes?: number;
  /** Marks pages and responses as the sandbox, not a real cloud service. */
  sandbox?: boolean;
  /** Checked before anything else is looked up or applied; false answers 401 (Bearer challenge). */
  authorize?: Authorize;
}

export interface IngestServer {
  url: string;
  port: number;
  /** Applied requests in apply order. */
  applied(): AppliedRecord[];
  /** Applied records in apply order, batches split into their members, each with its request's key. */
  appliedItems(): AppliedItem[];
  stats(): IngestStats;
  setFaults(plan: FaultPlan | undefined): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const problem = (
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
};

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Reads at most `limit` bytes; undefined when the body is larger. `bytesPerSecond` throttles the read. */
async function readBody(
  req: IncomingMessage,
  limit: number,
  signal: AbortSignal,
  bytesPerSecond?: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
    if (bytesPerSecond) await sleep((chunk.length / bytesPerSecond) * 1000, undefined, { signal });
  }
  return Buffer.concat(chunks);
}

/** Resolves when the response is finished or its connection is gone. */
const closed = (res: ServerResponse) =>
  new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));

function rateLimitHeaders(fault: Extract<IngestFault, { kind: 'rate-limit' }>): Record<string, string> {
  if (fault.form === 'http-date') {
    // HTTP dates have whole seconds: round up so the client never comes back early.
    return {
      'retry-after': new Date(Math.ceil((Date.now() + fault.seconds * 1000) / 1000) * 1000).toUTCString(),
    };
  }
  if (fault.form === 'ratelimit-reset') {
    return { 'ratelimit-limit': '100', 'ratelimit-remaining': '0', 'ratelimit-reset': String(fault.seconds) };
  }
  return { 'retry-after': String(fault.seconds) };
}

export async function startIngestServer(options: IngestServerOptions = {}): Promise<IngestServer> {
  const store = new IngestStore(options.storeFile ?? ':memory:');
  const inFlight = new Set<string>();
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  const stats: IngestStats = {
    requests: 0,
    applied: 0,
    items: 0,
    duplicates: 0,
    conflicts: 0,
    inProgress: 0,
    faults: 0,
    unauthorized: 0,
    tooLarge: 0,
  };
  let faults = options.faults;
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;

  const tooLarge = (res: ServerResponse) => {
    stats.tooLarge += 1;
    problem(
      res,
      413,
      'Payload too large',
      `This server accepts request bodies up to ${maxBody} bytes. Send smaller requests ` +
        '(for batches: lower destination.batch.maxBytes or maxRecords).',
      { connection: 'close' },
    );
  };

  /** Faults in front of the API (load balancer, network): answered before authentication or keys are looked at. */
  const frontFault = (fault: IngestFault | undefined, req: IncomingMessage, res: ServerResponse): boolean => {
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ error: `injected ${fault.status}` }));
    } else if (fault?.kind === 'rate-limit') {
      problem(
        res,
        429,
        'Too many requests',
        `Slow down: retry in ${fault.seconds} s.`,
        rateLimitHeaders(fault),
      );
    } else if (fault?.kind === 'reset' && !fault.afterApply) {
      req.socket.destroy();
    } else {
      return false;
    }
    stats.faults += 1;
    return true;
  };

  /** Faults while the server processes the request; false when the client is gone and nothing more should happen. */
  const stall = async (fault: IngestFault | undefined, res: ServerResponse): Promise<boolean> => {
    if (fault?.kind === 'hang') {
      stats.faults += 1;
      await closed(res);
      return false;
    }
    if (fault?.kind === 'delay') {
      stats.faults += 1;
      await sleep(fault.ms, undefined, { signal: closing.signal });
    }
    return true;
  };

  /** Sends a 2xx, unless a fault loses it (reset after apply) or trickles it (slow). */
  const answer = async (
    req: IncomingMessage,
    res: ServerResponse,
    fault: IngestFault | undefined,
    body: unknown,
    headers: Record<string, string>,
  ) => {
    if (res.destroyed) return; // the client gave up during a delay: the work is done, nobody is listening
    if (fault?.kind === 'reset' && fault.afterApply) {
      stats.faults += 1;
      req.socket.destroy();
      return;
    }
    if (fault?.kind !== 'slow') return json(res, 201, body, headers);
    stats.faults += 1;
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(201, {
      'content-type': 'application/json',
      'content-length': String(bytes.length),
      ...headers,
    });
    const step = Math.max(1, fault.chunkBytes ?? 1);
    for (let at = 0; at < bytes.length && !res.destroyed; at += step) {
      res.write(bytes.subarray(at, at + step));
      await sleep(fault.intervalMs ?? 50, undefined, { signal: closing.signal });
    }
    res.end();
  };

  const handleIngest = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    stats.requests += 1;
    const key = header(req, 'idempotency-key');
    const fault = faults?.({ key, path, seq: stats.requests });
    if (Number(header(req, 'content-length') ?? 0) > maxBody) return tooLarge(res);
    const throttle = fault?.kind === 'slow-read' ? fault.bytesPerSecond : undefined;
    if (throttle) stats.faults += 1;
    const body = await readBody(req, maxBody, closing.signal, throttle);
    if (!body) return tooLarge(res);
    if (frontFault(fault, req, res)) return;
    const authorization = header(req, 'authorization');
    if (options.authorize && !(await options.authorize(authorization, req))) {
      stats.unauthorized += 1;
      // RFC 6750 §3.1: no error code when the request carried no credentials at all.
      const challenge =
        authorization === undefined
          ? 'Bearer realm="ingest"'
          : 'Bearer realm="ingest", error="invalid_token", error_description="The access token is not valid"';
      return problem(
        res,
        401,
        'Unauthorized',
        'Send a valid access token in the Authorization header (Bearer).',
        { 'www-authenticate': challenge },
      );
    }
    if (!key) return problem(res, 400, 'Idempotency-Key missing', 'Send an Idempotency-Key header.');
    const fingerprint = createHash('sha256')
      .update(req.method ?? '')
      .update(path)
      .update(body)
      .digest('hex');
    const known = store.lookup(key);
    if (known) {
      if (known.fingerprint !== fingerprint) {
        stats.conflicts += 1;
        return problem(
          res,
          422,
          'Idempotency-Key reused',
          'This key was already used with a different payload.',
        );
      }
      if (!(await stall(fault, res))) return;
      stats.duplicates += 1;
      return answer(
        req,
        res,
        fault,
        { id: `rec_${known.seq}`, items: known.items },
        { 'idempotent-replayed': 'true', location: `/records/${known.seq}` },
      );
    }
    if (inFlight.has(key)) {
      stats.inProgress += 1;
      return problem(
        res,
        409,
        'Request in progress',
        'A request with this Idempotency-Key is still being processed.',
      );
    }
    inFlight.add(key);
    let applied;
    try {
      if (!(await stall(fault, res))) return;
      const contentType = header(req, 'content-type') ?? 'application/octet-stream';
      applied = store.apply(key, fingerprint, path, contentType, body, Date.now());
    } finally {
      inFlight.delete(key);
    }
    stats.applied += 1;
    stats.items += applied.items;
    return answer(
      req,
      res,
      fault,
      { id: `rec_${applied.seq}`, items: applied.items },
      { location: `/records/${applied.seq}` },
    );
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/ingest') && ['POST', 'PUT', 'PATCH'].includes(req.method ?? '')) {
      handleIngest(req, res, path).catch((error: unknown) => {
        if (closing.signal.aborted) return; // shutting down: sleeps were cut short, sockets are gone
        if (!res.headersSent) problem(res, 500, 'Ingest failed', errorMessage(error));
        else res.destroy();
      });
    } else if (req.method === 'GET' && path === '/records') {
      json(
        res,
        200,
        store.latest(100).map(({ body, ...r }) => ({ ...r, size: body.length })),
      );
    } else if (req.method === 'GET' && path === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(renderSandboxPage(store.latest(50), stats, options.sandbox ?? false));
    } else {
      problem(res, 404, 'Not found', 'POST records to /ingest/<anything>.');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    applied: () => store.all(),
    appliedItems: () => store.items(),
    stats: () => ({ ...stats }),
    setFaults: (plan) => {
      faults = plan;
    },
    close: async () => {
      if (closing.signal.aborted) return;
      closing.abort();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}
