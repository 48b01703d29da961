// Config schema of the AMQP 0-9-1 destination: broker URL, login, exchange and routing-key templates, message flags, TLS.
import { z } from 'zod';
import { deliveryPolicyShape } from '../../core/delivery-policy-config.js';
import { messageBatchSchema } from '../../core/message-batch-config.js';
import { secretRefSchema } from '../../core/secret-ref.js';
import { templateProblems } from './name-template.js';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return loopbackHosts.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Where the broker is: host, port and vhost from the URL (which holds no credentials). */
export interface BrokerAddress {
  tls: boolean;
  hostname: string;
  port: number;
  vhost: string;
}

/** The broker address of a valid URL (the schema has checked it). */
export function brokerAddress(url: string): BrokerAddress {
  const parsed = new URL(url);
  const tls = parsed.protocol === 'amqps:';
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const path = parsed.pathname.replace(/^\//, '');
  return {
    tls,
    hostname,
    port: parsed.port === '' ? (tls ? 5671 : 5672) : Number(parsed.port),
    vhost: path === '' ? '/' : decodeURIComponent(path),
  };
}

/** "host:port" as shown in labels and facts. */
export function brokerOf(address: BrokerAddress): string {
  const host = address.hostname.includes(':') ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}

const tlsSchema = z
  .strictObject({
    caFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'PEM file with CA certificates to trust in addition to the built-in roots (e.g. a private CA)',
      ),
    certFile: z
      .string()
      .min(1)
      .optional()
      .describe('PEM client certificate for brokers that require mutual TLS'),
    keyFile: z.string().min(1).optional().describe('PEM private key of certFile'),
  })
  .superRefine((tls, ctx) => {
    if ((tls.certFile === undefined) === (tls.keyFile === undefined)) return;
    const missing = tls.certFile === undefined ? 'certFile' : 'keyFile';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'certFile and keyFile must be given together',
      params: { fix: `add ${missing}, or remove the other one to connect without a client certificate` },
    });
  })
  .describe('TLS settings for amqps://; the broker certificate is always verified, TLS 1.2 at least');

type Issue = { path: string; message: string; fix: string };

function urlProblems(url: string, allowInsecure: boolean): Issue[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [
      {
        path: 'url',
        message: `${JSON.stringify(url)} is not a URL`,
        fix: 'write amqps://broker.example.com:5671/vhost (or amqp://127.0.0.1:5672/ on this machine)',
      },
    ];
  }
  const issues: Issue[] = [];
  const issue = (message: string, fix: string) => issues.push({ path: 'url', message, fix });
  if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') {
    issue(
      `must start with amqp:// or amqps:// (found ${parsed.protocol}//)`,
      'write amqps://broker.example.com:5671/vhost',
    );
    return issues;
  }
  if (parsed.hostname === '') issue('names no broker host', 'write amqps://<broker host>:<port>/<vhost>');
  if (parsed.username !== '' || parsed.password !== '')
    issue(
      'must not contain credentials',
      'remove "user:password@" from the URL; put the user name in username and the password in the secret store, referenced by password: { secretRef: <name> }',
    );
  if (parsed.search !== '' || parsed.hash !== '')
    issue(
      'must not have a query or fragment',
      'remove everything from "?" on; use the settings heartbeatSeconds and connectTimeoutMs instead',
    );
  if (parsed.pathname.slice(1).includes('/'))
    issue(
      `the path ${JSON.stringify(parsed.pathname)} is more than one vhost name`,
      'write the vhost as one path segment; a slash inside a vhost name is written %2F',
    );
  if (parsed.protocol === 'amqp:' && !allowInsecure && !isLoopbackHost(parsed.hostname))
    issue(
      `plain amqp:// to ${parsed.hostname} would carry records and the password across the network unencrypted`,
      'use amqps:// (port 5671); only on a trusted internal network, set allowInsecure: true on the destination',
    );
  return issues;
}

export const amqpDestinationSchema = z
  .strictObject({
    type: z.literal('amqp'),
    url: z
      .string()
      .min(1)
      .describe(
        'Broker and vhost, without credentials: amqps://host:5671/vhost (amqp:// only to this machine unless allowInsecure)',
      ),
    username: z.string().min(1).optional().describe('User name to log in with (PLAIN); guest when left out'),
    password: secretRefSchema.optional().describe("The user's password, from the secret store"),
    exchange: z
      .string()
      .describe(
        'Exchange each record is published to; may use {{businessKey}}, {{record.<field>}}, {{idempotencyKey}}; "" is the default exchange',
      ),
    routingKey: z
      .string()
      .default('')
      .describe(
        'Routing key of each message; may use {{businessKey}}, {{record.<field>}}, {{idempotencyKey}}',
      ),
    persistent: z
      .boolean()
      .default(true)
      .describe(
        'Mark messages persistent (delivery mode 2) so durable queues keep them over a broker restart',
      ),
    mandatory: z
      .boolean()
      .default(true)
      .describe(
        'Have the broker return a message no queue receives; the record is then dead-lettered, not lost silently',
      ),
    headers: z.record(z.string().min(1), z.string()).default({}).describe('Static headers on every message'),
    tls: tlsSchema.optional(),
    allowInsecure: z
      .boolean()
      .default(false)
      .describe('Allow plain amqp:// to a host other than this machine (only for trusted local networks)'),
    heartbeatSeconds: z
      .int()
      .min(0)
      .max(3600)
      .default(30)
      .describe('Heartbeat interval asked of the broker; 0 turns heartbeats off'),
    connectTimeoutMs: z
      .int()
      .positive()
      .default(10_000)
      .describe('Give up connecting (TCP, TLS and login) after this long'),
    batch: messageBatchSchema.optional(),
    ...deliveryPolicyShape,
  })
  .superRefine((destination, ctx) => {
    const issues = urlProblems(destination.url, destination.allowInsecure);
    for (const field of ['exchange', 'routingKey'] as const) {
      for (const message of templateProblems(destination[field]))
        issues.push({
          path: field,
          message,
          fix: 'see docs/amqp-destination.md, "Exchange and routing key"',
        });
    }
    if (destination.password !== undefined && destination.username === undefined)
      issues.push({
        path: 'username',
        message: 'is required when password is set',
        fix: 'add username, or remove password to log in as guest',
      });
    if (destination.tls !== undefined && /^amqp:/i.test(destination.url))
      issues.push({
        path: 'tls',
        message: 'applies to amqps:// only, but the URL is plain amqp://',
        fix: 'use an amqps:// URL, or remove tls',
      });
    for (const { path, message, fix } of issues)
      ctx.addIssue({ code: 'custom', path: [path], message, params: { fix } });
  })
  .describe('Publishes each record to an AMQP 0-9-1 broker (RabbitMQ) with publisher confirms');

export type AmqpDestinationConfig = z.output<typeof amqpDestinationSchema>;

/** The URL as shown: scheme, host, port and vhost (the schema refuses credentials in it). */
export function shownUrl(config: Pick<AmqpDestinationConfig, 'url'>): string {
  const address = brokerAddress(config.url);
  return `${address.tls ? 'amqps' : 'amqp'}://${brokerOf(address)}/${encodeURIComponent(address.vhost)}`;
}

/** "AMQP host:port/vhost exchange <template>", the destination's label. */
export function amqpLabel(config: Pick<AmqpDestinationConfig, 'url' | 'exchange'>): string {
  const address = brokerAddress(config.url);
  return `AMQP ${brokerOf(address)}/${address.vhost} exchange ${config.exchange === '' ? '(default)' : config.exchange}`;
}
