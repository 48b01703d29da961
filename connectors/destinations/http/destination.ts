// HTTP destination: one record or one batch per request, with the Idempotency-Key, auth, trace context and timeouts.
import type {
  BatchLimits,
  ConnectionFacts,
  Destination,
  OutgoingRequest,
  SendResult,
} from '../../core/destination.js';
import type { RequestAuth } from './auth/request-auth.js';
import { redactEchoes, redactHeaderEchoes, secretPartsOf } from './echo-redaction.js';
import { classify, defaultClassification, type ClassificationPolicy } from './classify.js';
import { encodeBody, type BatchFormat } from './request-body.js';
import { serverIdsFrom, summarizeResponse } from './response-summary.js';
import { checkTransport } from './transport-policy.js';
import { versionedRequest, type ApiVersionConfig } from './api-version.js';
import { apiNoticeOf } from './deprecation-headers.js';
import type { HttpTransport } from './transport.js';
import { renderUrl, UrlTemplateError } from './url-template.js';

export interface HttpDestinationOptions {
  /** May hold {{placeholders}} in the path and query (see url-template.ts). */
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  /** Header values already resolved (secrets fetched from the secret store by the engine). */
  headers: Record<string, string>;
  /** Which of those header values came from the secret store: masked wherever the server echoes them back. */
  secretHeaderValues?: readonly string[];
  allowInsecureHttp: boolean;
  batch: { format: BatchFormat } & BatchLimits;
  transport: HttpTransport;
  /** Adds credentials; after a 401, `invalidate()` says whether one retry with fresh credentials makes sense. */
  credentials?: RequestAuth;
  /** Turns a transport error (TLS, proxy, DNS…) into plain words with a fix. */
  describeError?: (error: unknown) => { message: string; code?: string };
  /** Which statuses are retried and which are dead (default: transient statuses retried). */
  classification?: ClassificationPolicy;
  /** Clock for Retry-After dates (tests). */
  now?: () => number;
  /** The API version the destination declares; each request carries the version its records were stored for. */
  apiVersion?: ApiVersionConfig;
}

function plainError(error: unknown): { message: string; code?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    message: error instanceof Error ? error.message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

export class HttpDestination implements Destination {
  readonly type = 'http';
  readonly label: string;
  readonly batching: BatchLimits | undefined;
  /** Set when plain http to a non-loopback host was explicitly allowed. */
  readonly warning: string | undefined;

  constructor(private readonly options: HttpDestinationOptions) {
    const url = new URL(options.url);
    this.warning = checkTransport(url, options.allowInsecureHttp);
    this.label = `${options.method} ${url.origin}${decodeURI(url.pathname)}`;
    const { format, ...limits } = options.batch;
    this.batching = format === 'none' ? undefined : limits;
  }

  async send(request: OutgoingRequest, signal: AbortSignal): Promise<SendResult> {
    const { format } = this.options.batch;
    // A batch's members share one version: the outbox leases a batch of records stored for the same version.
    const version = versionedRequest(this.options.apiVersion, request.records[0]?.apiVersion);
    let url: string;
    try {
      url = renderUrl(
        this.options.url,
        format === 'none' ? request.records[0] : undefined,
        version.pathValue,
      );
    } catch (error) {
      if (!(error instanceof UrlTemplateError)) throw error;
      const rejected = request.records.map((r) => ({
        id: r.id,
        error: `cannot build the URL: ${error.message}`,
      }));
      return { kind: 'not-sent', latencyMs: 0, rejected };
    }
    const { body, contentType: bodyType, sent, rejected } = encodeBody(request.records, format);
    const contentType = `${bodyType}${version.mediaTypeParameter}`;
    if (sent.length === 0) return { kind: 'not-sent', latencyMs: 0, rejected };
    const summary = { operation: this.options.method, target: url, bytes: body.length, records: sent.length };
    const started = performance.now();
    const extra = { request: summary, ...(rejected.length > 0 ? { rejected } : {}) };
    const policy = this.options.classification ?? defaultClassification;
    const now = this.options.now ?? Date.now;
    try {
      const sending = { url, body, contentType, headers: version.headers };
      let { response, sentSecrets } = await this.post(sending, request, signal);
      if (response.statusCode === 401 && this.options.credentials?.invalidate())
        ({ response, sentSecrets } = await this.post(sending, request, signal));
      const raw = summarizeResponse(response.statusCode, response.headers, response.body);
      const summaryOfResponse = {
        ...raw,
        headers: redactHeaderEchoes(raw.headers, sentSecrets),
        bodyExcerpt: redactEchoes(raw.bodyExcerpt, sentSecrets),
      };
      const serverIds = serverIdsFrom(response.body, summaryOfResponse.headers, sent);
      const answer = {
        kind: 'response' as const,
        response: summaryOfResponse,
        ...(serverIds ? { serverIds } : {}),
      };
      const latencyMs = Math.round(performance.now() - started);
      const apiNotice = apiNoticeOf(response.headers);
      return { ...classify(answer, request.idempotencyKey, now(), policy), latencyMs, apiNotice, ...extra };
    } catch (error) {
      const { message, code } = (this.options.describeError ?? plainError)(error);
      const latencyMs = Math.round(performance.now() - started);
      const answer = { kind: 'failure' as const, error: message, ...(code ? { code } : {}) };
      return { ...classify(answer, request.idempotencyKey, now(), policy), latencyMs, ...extra };
    }
  }

  private async post(
    sending: { url: string; body: Buffer; contentType: string; headers: Record<string, string> },
    request: OutgoingRequest,
    signal: AbortSignal,
  ) {
    const { url, body, contentType } = sending;
    const credentials = await this.options.credentials?.headers({ method: this.options.method, url, body });
    const sentSecrets = secretPartsOf([
      ...(this.options.secretHeaderValues ?? []),
      ...Object.values(credentials ?? {}),
    ]);
    const response = await (
      await this.options.transport.client()
    )(url, {
      method: this.options.method,
      responseType: 'buffer',
      body,
      signal,
      headers: {
        ...this.options.headers,
        ...sending.headers,
        ...credentials,
        'content-type': contentType,
        'idempotency-key': request.idempotencyKey,
        ...(request.traceparent ? { traceparent: request.traceparent } : {}),
      },
    });
    return { response, sentSecrets };
  }

  describe(): ConnectionFacts {
    const { proxy, ...trust } = this.options.transport.describe();
    return { ...(proxy ? { proxy } : {}), ...trust, auth: this.options.credentials?.kind ?? 'none' };
  }

  close(): Promise<void> {
    this.options.transport.close();
    return Promise.resolve();
  }
}
