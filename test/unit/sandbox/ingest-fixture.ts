// Shared helpers for the ingest server unit tests: a server per test (always closed) and raw HTTP calls to it.
import { request } from 'node:http';
import { afterEach } from 'vitest';
import {
  startIngestServer,
  type IngestServer,
  type IngestServerOptions,
} from '../../../main/sandbox/ingest-server.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Milliseconds from sending to the end of the body. */
  ms: number;
  /** Milliseconds from sending to the response headers. */
  headersMs: number;
}

export interface PostOptions {
  key?: string;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  path?: string;
  /** Give up (destroy the request) this many ms after sending, answer or not (a total deadline, not idle time). */
  timeoutMs?: number;
  /** Send the body with chunked transfer encoding (no Content-Length). */
  chunked?: boolean;
}

/** Starts servers on free loopback ports and closes them after each test. */
export function useIngestServers() {
  const servers: IngestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  return async (options?: IngestServerOptions) => {
    const server = await startIngestServer(options);
    servers.push(server);
    return server;
  };
}

/** One POST on a fresh connection; rejects with the socket error (ECONNRESET, timeout) when there is no answer. */
export function post(server: IngestServer, options: PostOptions = {}): Promise<Reply> {
  const body = options.body ?? '{"n":1}';
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${options.path ?? '/ingest/test'}`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': options.contentType ?? 'application/json',
        ...(options.key === undefined ? {} : { 'idempotency-key': options.key }),
        ...(options.chunked ? { 'transfer-encoding': 'chunked' } : {}),
        ...options.headers,
      },
    });
    if (options.timeoutMs !== undefined) {
      const timer = setTimeout(
        () => req.destroy(new Error(`client timeout after ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      req.on('close', () => clearTimeout(timer));
    }
    req.on('error', reject);
    req.on('response', (res) => {
      const headersMs = performance.now() - started;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
          headersMs,
        }),
      );
    });
    req.end(body);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
