// Posts alert transitions as JSON to a webhook, in order, retried with backoff from a bounded in-memory queue.
import { createHmac } from 'node:crypto';
import got from 'got';
import type { Logger } from 'pino';
import { isLoopbackHost } from '../../connectors/destinations/http/transport-policy.js';
import { backoffDelayMs, type BackoffPolicy } from '../delivery/backoff.js';
import { retryAfterMs } from '../../connectors/destinations/http/retry-after.js';
import { errorMessage } from '../shared/error-message.js';
import type { AlertTransition } from './alert-types.js';

export interface AlertWebhookOptions {
  url: string;
  /** Resolved from the secret store: signs each body (HMAC-SHA256), never sent or logged. */
  secret?: string;
  timeoutMs: number;
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

/** 408, 425, 429 and 5xx are worth another try; other answers will not change by resending. */
const transientStatus = (status: number) =>
  status === 408 || status === 425 || status === 429 || status >= 500;

/**
 * Headers when signed: `x-agent-timestamp` (unix seconds) and `x-agent-signature: sha256=<hex>`, the HMAC-SHA256 of
 * `${timestamp}.${body}` with the secret. `idempotency-key` is the same on every attempt of one notification.
 */
export class AlertWebhook {
  private readonly url: URL;
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

  /** Stops: what is queued is dropped, a request in flight or a backoff wait ends now. */
  async close(): Promise<void> {
    this.closed = true;
    this.dropped += this.queue.length;
    this.queue.length = 0;
    this.abort.abort();
    this.wakeUp?.();
    await this.idle();
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
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': `${transition.alert.id}:${transition.kind}:${transition.at}`,
      ...this.signature(body, now),
    };
    const where = { webhook: this.url.origin, alert: transition.alert.id, kind: transition.kind };
    let failure: string;
    let retryAfter: number | undefined;
    try {
      const response = await got.post(this.url, {
        body,
        headers,
        timeout: { request: this.options.timeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        signal: this.abort.signal,
      });
      if (response.statusCode >= 200 && response.statusCode < 300) {
        this.delivered += 1;
        return undefined;
      }
      if (!transientStatus(response.statusCode)) {
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
      // message and code only: a got error carries the request options, headers included
      failure = errorMessage(error);
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

  private signature(body: string, now: number): Record<string, string> {
    if (this.options.secret === undefined || this.options.secret === '') return {};
    const timestamp = String(Math.floor(now / 1000));
    const hmac = createHmac('sha256', this.options.secret).update(`${timestamp}.`).update(body).digest('hex');
    return { 'x-agent-timestamp': timestamp, 'x-agent-signature': `sha256=${hmac}` };
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

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
