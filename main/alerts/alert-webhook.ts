// Posts alert transitions as JSON to a webhook, in order, retried with backoff from a bounded in-memory queue. It goes
// out the way HTTP destinations do: their transport (proxy, TLS CA, pins, mTLS, timeouts), signer and status classes.
import type { Logger } from 'pino';
import { resolverOf, type SecretResolver } from '../../connectors/core/secret-ref.js';
import { HmacAuth } from '../../connectors/destinations/http/auth/hmac-auth.js';
import { isTransientStatus } from '../../connectors/destinations/http/classify.js';
import { retryAfterMs } from '../../connectors/destinations/http/retry-after.js';
import {
  proxyConfigSchema,
  tlsConfigSchema,
  type ProxyConfig,
  type TlsConfig,
} from '../../connectors/destinations/http/security-config.js';
import {
  createHttpTransport,
  describeTransportError,
  type HttpTransport,
} from '../../connectors/destinations/http/transport.js';
import { isLoopbackHost } from '../../connectors/core/loopback.js';
import { backoffDelayMs, type BackoffPolicy } from '../delivery/backoff.js';
import type { AlertTransition } from './alert-types.js';

export interface AlertWebhookOptions {
  url: string;
  /** Resolved from the secret store: signs each body (HMAC-SHA256), never sent or logged. */
  secret?: string;
  /** Connect, first-byte and whole-request timeout of one POST. */
  timeoutMs: number;
  /** As an HTTP destination's tls block (extra CA, pins, client certificate); default: the built-in roots only. */
  tls?: TlsConfig;
  /** As an HTTP destination's proxy block; default: mode env (HTTPS_PROXY / NO_PROXY). */
  proxy?: ProxyConfig;
  /** Looks up the secrets `tls` and `proxy` reference (client key passphrase, proxy password). */
  secrets?: SecretResolver;
  /** Queued notifications beyond this drop the oldest first (default 100). */
  maxQueue?: number;
  /** Attempts per notification before it is given up (default 8). */
  maxAttempts?: number;
  retry?: BackoffPolicy;
  /** Names this agent in every body (e.g. the host name), so one receiver can serve several agents. */
  agent?: string;
  logger?: Logger;
  clock?: () => number;
  random?: () => number;
}

/** The JSON body of every POST. */
export interface AlertWebhookBody extends AlertTransition {
  agent?: string;
}

export class AlertWebhookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertWebhookError';
  }
}

interface Item {
  transition: AlertTransition;
  attempts: number;
}

/** The signing secret's name inside the webhook; HmacAuth looks the key up by name. */
const signingSecret = 'alerts.webhook.secretRef';

/**
 * Headers when signed: `x-agent-timestamp` (unix seconds) and `x-agent-signature: sha256=<hex>`, the HMAC-SHA256 of
 * `${timestamp}.${body}` with the secret (what an HTTP destination's hmac auth sends, with a `sha256=` prefix).
 * `idempotency-key` is the same on every attempt of one notification. 408, 409, 425, 429 and 5xx are retried, as
 * for destinations; other answers will not change by resending.
 */
export class AlertWebhook {
  private readonly url: URL;
  private readonly transport: HttpTransport;
  private readonly signer: HmacAuth | undefined;
  private readonly queue: Item[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly abort = new AbortController();
  private wakeUp: (() => void) | undefined;
  /** Notifications dropped because the queue was full or every attempt failed. */
  dropped = 0;
  delivered = 0;

  constructor(private readonly options: AlertWebhookOptions) {
    this.url = new URL(options.url);
    if (
      this.url.protocol !== 'https:' &&
      !(this.url.protocol === 'http:' && isLoopbackHost(this.url.hostname))
    )
      throw new AlertWebhookError(
        `Refusing to post alerts to ${this.url.origin}: they would cross the network unencrypted. ` +
          `Fix: use an https:// URL for alerts.webhook.url (http:// only for a receiver on this machine).`,
      );
    const { timeoutMs, secret } = options;
    this.transport = createHttpTransport({
      url: options.url,
      timeouts: { connectMs: timeoutMs, responseMs: timeoutMs, totalMs: timeoutMs },
      concurrency: 1,
      tls: options.tls ?? tlsConfigSchema.parse({}),
      proxy: options.proxy ?? proxyConfigSchema.parse({}),
      secrets: options.secrets ?? resolverOf(new Map()),
    });
    this.signer =
      secret === undefined || secret === ''
        ? undefined
        : new HmacAuth(
            {
              type: 'hmac',
              secret: { secretRef: signingSecret },
              algorithm: 'sha256',
              signatureHeader: 'x-agent-signature',
              timestampHeader: 'x-agent-timestamp',
              encoding: 'hex',
            },
            resolverOf(new Map([[signingSecret, secret]])),
            options.clock ?? Date.now,
          );
  }

  /** Queues one notification; never blocks or throws. */
  send(transition: AlertTransition): void {
    if (this.closed) return;
    if (this.queue.length >= (this.options.maxQueue ?? 100)) {
      this.queue.shift();
      this.dropped += 1;
      this.options.logger?.warn({ webhook: this.url.origin }, 'alert webhook queue full: dropped the oldest');
    }
    this.queue.push({ transition, attempts: 0 });
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  /** Resolves once every queued notification was delivered or given up. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops: what is queued is dropped, a request in flight or a backoff wait ends now; the connections close. */
  async close(): Promise<void> {
    this.closed = true;
    this.dropped += this.queue.length;
    this.queue.length = 0;
    this.abort.abort();
    this.wakeUp?.();
    await this.idle();
    this.transport.close();
  }

  /** One notification at a time, in order; the one in flight is out of the queue, so a full queue drops only waiting ones. */
  private async drain(): Promise<void> {
    let item: Item | undefined;
    while (!this.closed && (item = this.queue.shift())) {
      for (;;) {
        item.attempts += 1;
        const waitMs = await this.post(item);
        if (this.closed || waitMs === undefined) break;
        if (item.attempts >= (this.options.maxAttempts ?? 8)) {
          this.dropped += 1;
          this.options.logger?.error(
            { webhook: this.url.origin, alert: item.transition.alert.id, attempts: item.attempts },
            'alert webhook gave up on a notification',
          );
          break;
        }
        await this.sleep(waitMs);
        if (this.closed) break;
      }
    }
  }

  /** undefined when done with the item (delivered or refused for good); else how long to wait before retrying. */
  private async post(item: Item): Promise<number | undefined> {
    const { transition } = item;
    const body = JSON.stringify({
      ...transition,
      ...(this.options.agent ? { agent: this.options.agent } : {}),
    } satisfies AlertWebhookBody);
    const now = (this.options.clock ?? Date.now)();
    const where = { webhook: this.url.origin, alert: transition.alert.id, kind: transition.kind };
    let failure: string;
    let retryAfter: number | undefined;
    try {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'idempotency-key': `${transition.alert.id}:${transition.kind}:${transition.at}`,
        ...(await this.signature(body)),
      };
      const response = await (
        await this.transport.client()
      ).post(this.url, {
        body,
        headers,
        signal: this.abort.signal,
      });
      if (response.statusCode >= 200 && response.statusCode < 300) {
        this.delivered += 1;
        return undefined;
      }
      if (!isTransientStatus(response.statusCode)) {
        this.dropped += 1;
        this.options.logger?.error(
          { ...where, status: response.statusCode },
          'alert webhook refused a notification; check the receiver (it is not sent again)',
        );
        return undefined;
      }
      failure = `HTTP ${response.statusCode}`;
      retryAfter = retryAfterMs(flatHeaders(response.headers), now);
    } catch (error) {
      failure = failureText(error);
    }
    const retry = this.options.retry ?? { baseMs: 1000, capMs: 60_000 };
    const delay = Math.max(
      retryAfter ?? 0,
      backoffDelayMs(retry, item.attempts, this.options.random ?? Math.random),
    );
    this.options.logger?.warn(
      { ...where, error: failure, attempt: item.attempts, retryInMs: delay },
      'alert webhook failed; will retry',
    );
    return Math.min(delay, retry.capMs);
  }

  private async signature(body: string): Promise<Record<string, string>> {
    if (this.signer === undefined) return {};
    const signed = await this.signer.headers({ method: 'POST', url: this.url.href, body: Buffer.from(body) });
    return { ...signed, 'x-agent-signature': `sha256=${signed['x-agent-signature']}` };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

/**
 * Message and code only (a got error carries the request options, headers included), in the words HTTP destinations
 * use; their fixes name destination settings, which the webhook has under alerts.webhook.
 */
function failureText(error: unknown): string {
  const { message, code } = describeTransportError(error);
  const text = message.replaceAll('destination.', 'alerts.webhook.');
  return code !== undefined && !text.includes(code) ? `${code}: ${text}` : text;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
