// HTTP destination: sends one record per request with got, an Idempotency-Key header and timeouts on every phase.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { type Got, RequestError } from 'got';
import type { Destination, OutgoingRecord, SendResult } from '../../core/destination.js';
import { checkTransport } from './transport-policy.js';

export interface HttpDestinationOptions {
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  /** Header values already resolved (secrets fetched from the secret store by the engine). */
  headers: Record<string, string>;
  allowInsecureHttp: boolean;
  timeouts: { connectMs: number; responseMs: number; totalMs: number };
  concurrency: number;
}

const keptResponseHeaders = [
  'content-type',
  'retry-after',
  'ratelimit-reset',
  'location',
  'x-request-id',
  'idempotent-replayed',
];

function pickHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of keptResponseHeaders) {
    const value = headers[name];
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

function serverIdFrom(body: Buffer, headers: Record<string, string>): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { id?: unknown; data?: { id?: unknown } };
    const id = parsed.id ?? parsed.data?.id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  } catch {
    // not JSON: fall back to Location
  }
  return headers.location;
}

export class HttpDestination implements Destination {
  readonly type = 'http';
  readonly label: string;
  /** Set when plain http to a non-loopback host was explicitly allowed. */
  readonly warning: string | undefined;
  private readonly client: Got;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };

  constructor(private readonly options: HttpDestinationOptions) {
    const url = new URL(options.url);
    this.warning = checkTransport(url, options.allowInsecureHttp);
    this.label = `${options.method} ${url.origin}${url.pathname}`;
    const agentOptions = { keepAlive: true, maxSockets: options.concurrency };
    this.agents = {
      http: new HttpAgent(agentOptions),
      https: new HttpsAgent({ ...agentOptions, minVersion: 'TLSv1.2' }),
    };
    this.client = got.extend({
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      agent: this.agents,
      timeout: {
        connect: options.timeouts.connectMs,
        response: options.timeouts.responseMs,
        request: options.timeouts.totalMs,
      },
    });
  }

  async send(record: OutgoingRecord, signal: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    try {
      const response = await this.client(this.options.url, {
        method: this.options.method,
        responseType: 'buffer',
        body: record.payload,
        signal,
        headers: {
          ...this.options.headers,
          'content-type': record.contentType,
          'idempotency-key': record.idempotencyKey,
        },
      });
      const headers = pickHeaders(response.headers);
      const serverId = serverIdFrom(response.body, headers);
      return {
        kind: 'response',
        latencyMs: Math.round(performance.now() - started),
        response: {
          status: response.statusCode,
          headers,
          bodyExcerpt: response.body.subarray(0, 512).toString('utf8'),
        },
        ...(serverId ? { serverId } : {}),
      };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      if (error instanceof RequestError)
        return { kind: 'failure', error: error.message, code: error.code, latencyMs };
      return { kind: 'failure', error: error instanceof Error ? error.message : String(error), latencyMs };
    }
  }

  close(): Promise<void> {
    this.agents.http.destroy();
    this.agents.https.destroy();
    return Promise.resolve();
  }
}
