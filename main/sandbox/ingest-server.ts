// A loopback HTTP ingest API implementing the IETF Idempotency-Key semantics: the sandbox destination and the tests' server.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { IngestStore, type AppliedRecord } from './ingest-store.js';
import { renderSandboxPage } from './sandbox-page.js';

/** A fault a test (or a curious user) injects into one request. */
export type IngestFault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Destroy the socket without an answer; `afterApply` first applies the record, like a server that crashed after commit. */
  | { kind: 'reset'; afterApply?: boolean }
  /** Never answer (until the client gives up). */
  | { kind: 'hang' };

export interface IngestRequestInfo {
  key: string | undefined;
  path: string;
  /** 1-based count of requests seen by this server. */
  seq: number;
}

export type FaultPlan = (request: IngestRequestInfo) => IngestFault | undefined;

export interface IngestServerOptions {
  port?: number;
  /** SQLite file that remembers applied keys across restarts; ':memory:' (default) remembers them for the process. */
  storeFile?: string;
  faults?: FaultPlan;
  maxBodyBytes?: number;
  /** Marks pages and responses as the sandbox, not a real cloud service. */
  sandbox?: boolean;
}

export interface IngestStats {
  requests: number;
  applied: number;
  /** Requests whose key had already been applied with the same payload: answered from memory, not applied again. */
  duplicates: number;
  /** 422: key reused with a different payload. */
  conflicts: number;
  /** 409: key still in progress. */
  inProgress: number;
  faults: number;
}

export interface IngestServer {
  url: string;
  port: number;
  applied(): AppliedRecord[];
  stats(): IngestStats;
  setFaults(plan: FaultPlan | undefined): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const problem = (res: ServerResponse, status: number, title: string, detail: string) => {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
};

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startIngestServer(options: IngestServerOptions = {}): Promise<IngestServer> {
  const store = new IngestStore(options.storeFile ?? ':memory:');
  const inFlight = new Set<string>();
  const sockets = new Set<Socket>();
  const stats: IngestStats = {
    requests: 0,
    applied: 0,
    duplicates: 0,
    conflicts: 0,
    inProgress: 0,
    faults: 0,
  };
  let faults = options.faults;
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;

  const handleIngest = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    stats.requests += 1;
    const key = req.headers['idempotency-key'];
    const keyValue = Array.isArray(key) ? key[0] : key;
    const fault = faults?.({ key: keyValue, path, seq: stats.requests });
    const body = await readBody(req, maxBody);
    if (!body) return problem(res, 413, 'Payload too large', `Bodies are limited to ${maxBody} bytes.`);
    if (fault) stats.faults += 1;
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      return res.end(fault.body ?? JSON.stringify({ error: `injected ${fault.status}` }));
    }
    if (fault?.kind === 'reset' && !fault.afterApply) return req.socket.destroy();
    if (!keyValue) return problem(res, 400, 'Idempotency-Key missing', 'Send an Idempotency-Key header.');
    const fingerprint = createHash('sha256')
      .update(req.method ?? '')
      .update(path)
      .update(body)
      .digest('hex');
    const known = store.lookup(keyValue);
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
      stats.duplicates += 1;
      return json(
        res,
        201,
        { id: `rec_${known.seq}` },
        { 'idempotent-replayed': 'true', location: `/records/${known.seq}` },
      );
    }
    if (inFlight.has(keyValue)) {
      stats.inProgress += 1;
      return problem(
        res,
        409,
        'Request in progress',
        'A request with this Idempotency-Key is still being processed.',
      );
    }
    inFlight.add(keyValue);
    try {
      const contentType = req.headers['content-type'] ?? 'application/octet-stream';
      const seq = store.apply(keyValue, fingerprint, path, contentType, body, Date.now());
      stats.applied += 1;
      if (fault?.kind === 'reset') return req.socket.destroy();
      return json(res, 201, { id: `rec_${seq}` }, { location: `/records/${seq}` });
    } finally {
      inFlight.delete(keyValue);
    }
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/ingest') && ['POST', 'PUT', 'PATCH'].includes(req.method ?? '')) {
      handleIngest(req, res, path).catch((error: unknown) => {
        if (!res.headersSent)
          problem(res, 500, 'Ingest failed', error instanceof Error ? error.message : String(error));
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
    stats: () => ({ ...stats }),
    setFaults: (plan) => {
      faults = plan;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}
