// Alert webhook against a real local HTTP server: signed JSON POSTs, retry after failures, give-up, no secret leakage.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertWebhook, type AlertWebhookBody } from '../../main/alerts/alert-webhook.js';
import type { AlertTransition } from '../../main/alerts/alert-types.js';

const secret = 'whsec-SECRET-VALUE-9f2c';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  raw: string;
}

let server: Server | undefined;
let webhook: AlertWebhook | undefined;

afterEach(async () => {
  await webhook?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  webhook = undefined;
});

/** A receiver answering each request with the next status of `plan` (then 200); returns its URL and what it got. */
async function receiver(plan: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        headers: req.headers,
        body,
        raw: `${JSON.stringify(req.rawHeaders)}\n${req.url}\n${body}`,
      });
      const status = plan.shift() ?? 200;
      res.writeHead(status, status === 503 ? { 'retry-after': '0' } : {}).end(status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`, received };
}

function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), text: () => lines.join('') };
}

function transition(kind: AlertTransition['kind'], at: number, id = 'dead-letters:erp'): AlertTransition {
  return {
    kind,
    at,
    alert: {
      id,
      rule: 'dead-letters',
      subject: 'erp',
      severity: 'critical',
      title: 'Dead letters on erp',
      message: '2 records wait in the dead-letter queue',
      since: 1000,
      notifiedAt: at,
    },
  };
}

const fast = { retry: { baseMs: 5, capMs: 20 }, random: () => 1 };

describe('AlertWebhook', () => {
  it('retries a failing receiver until it answers, in order, signed, and never sends or logs the secret', async () => {
    const { url, received } = await receiver([503, 500]);
    const log = memoryLogger();
    webhook = new AlertWebhook({
      url,
      secret,
      timeoutMs: 2000,
      agent: 'office-pc',
      logger: log.logger,
      ...fast,
    });
    webhook.send(transition('fired', 5000));
    webhook.send(transition('resolved', 6000));
    await webhook.idle();

    expect(received.map((r) => JSON.parse(r.body) as AlertWebhookBody).map((b) => b.kind)).toEqual([
      'fired',
      'fired',
      'fired',
      'resolved',
    ]);
    const keys = received.map((r) => r.headers['idempotency-key']);
    expect(keys.slice(0, 3)).toEqual(Array(3).fill('dead-letters:erp:fired:5000')); // one key for every attempt
    expect(keys[3]).toBe('dead-letters:erp:resolved:6000');
    for (const r of received) {
      expect(r.headers['content-type']).toBe('application/json');
      const timestamp = r.headers['x-agent-timestamp'] as string;
      const expected = createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex');
      expect(r.headers['x-agent-signature']).toBe(`sha256=${expected}`);
      expect(r.raw).not.toContain(secret);
    }
    const body = JSON.parse(received[3]!.body) as AlertWebhookBody;
    expect(body).toMatchObject({
      agent: 'office-pc',
      at: 6000,
      alert: { id: 'dead-letters:erp', severity: 'critical' },
    });
    expect(webhook.delivered).toBe(2);
    expect(webhook.dropped).toBe(0);
    expect(log.text()).toContain('alert webhook failed; will retry');
    expect(log.text()).toContain('HTTP 503');
    expect(log.text()).not.toContain(secret);
    expect(log.text()).not.toContain('/hooks/alerts'); // only the origin: a webhook path often holds a token
  });

  it('does not resend what the receiver refuses (4xx) and sends unsigned bodies without a secret', async () => {
    const { url, received } = await receiver([400]);
    webhook = new AlertWebhook({ url, timeoutMs: 2000, ...fast });
    webhook.send(transition('fired', 1));
    webhook.send(transition('repeated', 2));
    await webhook.idle();
    expect(received).toHaveLength(2);
    expect(received[0]!.headers).not.toHaveProperty('x-agent-signature');
    expect(webhook.dropped).toBe(1);
    expect(webhook.delivered).toBe(1);
  });

  it('gives up after maxAttempts when nothing listens, and bounds its queue', async () => {
    const { url } = await receiver([]);
    await new Promise<void>((resolve) => server!.close(() => resolve())); // the port now refuses connections
    server = undefined;
    const log = memoryLogger();
    webhook = new AlertWebhook({
      url,
      secret,
      timeoutMs: 500,
      maxAttempts: 3,
      maxQueue: 2,
      logger: log.logger,
      ...fast,
    });
    for (let at = 1; at <= 4; at++) webhook.send(transition('fired', at, `disk-low:${at}`));
    await webhook.idle();
    // the first went in flight at once; of the three waiting, the oldest was dropped for room; the rest failed 3 times
    expect(webhook.dropped).toBe(4);
    expect(log.text()).toContain('alert webhook queue full: dropped the oldest');
    expect(log.text().match(/gave up on a notification/g)).toHaveLength(3);
    expect(log.text()).toContain('ECONNREFUSED');
    expect(log.text()).not.toContain(secret);
  });

  it('refuses plain http to another machine, with the fix and without the secret', () => {
    expect(
      () => new AlertWebhook({ url: 'http://alerts.example.com/hook?token=abc', secret, timeoutMs: 1000 }),
    ).toThrow(/Refusing to post alerts to http:\/\/alerts\.example\.com.*Fix: use an https:\/\/ URL/);
    try {
      new AlertWebhook({ url: 'http://alerts.example.com/hook?token=abc', secret, timeoutMs: 1000 });
    } catch (error) {
      expect(String(error)).not.toContain(secret);
      expect(String(error)).not.toContain('token=abc');
    }
  });
});
