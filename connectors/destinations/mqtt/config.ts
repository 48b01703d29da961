// Config schema of the MQTT destination: broker URL, topic template, QoS, session, credentials, TLS and timeouts.
import { z } from 'zod';
import { deliveryPolicyShape } from '../../core/delivery-policy-config.js';
import { messageBatchSchema } from '../../core/message-batch-config.js';
import { secretRefSchema } from '../../core/secret-ref.js';
import { topicTemplateProblems } from './topic.js';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether `hostname` (as URL parsing gives it) is this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return loopbackHosts.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Host and port of a broker URL, with the default port of its scheme (1883, or 8883 for mqtts). */
export function brokerAddress(url: URL): { host: string; port: number; hostPort: string } {
  const port = url.port ? Number(url.port) : url.protocol === 'mqtts:' ? 8883 : 1883;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, hostPort: `${url.hostname}:${port}` };
}

const tlsSchema = z
  .strictObject({
    caFile: z
      .string()
      .min(1)
      .optional()
      .describe("PEM file of the CA that issued the broker's certificate, when it is not a public one"),
    certFile: z.string().min(1).optional().describe('PEM client certificate, for brokers that ask for one'),
    keyFile: z.string().min(1).optional().describe('PEM private key of the client certificate'),
    rejectUnauthorized: z
      .boolean()
      .default(true)
      .describe('Refuse a broker whose certificate does not verify; turn off only for a test broker'),
  })
  .describe('TLS settings for an mqtts:// broker');

export const mqttDestinationSchema = z
  .strictObject({
    type: z.literal('mqtt'),
    url: z
      .string()
      .min(1)
      .describe(
        'Broker URL: mqtts://host:8883, or mqtt://host:1883 (plain only to this machine unless allowInsecure)',
      ),
    allowInsecure: z
      .boolean()
      .default(false)
      .describe('Allow a plain mqtt:// URL to a non-loopback broker (only for trusted local networks)'),
    topic: z
      .string()
      .min(1)
      .describe(
        'Topic of each message; may use {{businessKey}}, {{idempotencyKey}} or {{record.<field>}} of a JSON record',
      ),
    qos: z
      .union([z.literal(1), z.literal(2)])
      .default(1)
      .describe('1: at least once (PUBACK); 2: exactly once between agent and broker (PUBCOMP)'),
    retain: z.boolean().default(false).describe('Ask the broker to keep the last message of each topic'),
    protocolVersion: z
      .union([z.literal(5), z.literal(4)])
      .default(5)
      .describe('5: MQTT 5 (reason codes, user properties); 4: MQTT 3.1.1'),
    clientId: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[\x21-\x7e]+$/, { error: 'may hold only printable ASCII characters without spaces' })
      .optional()
      .describe(
        'MQTT client id; default: derived from the connection id and this host name, stable over restarts',
      ),
    cleanSession: z
      .boolean()
      .default(false)
      .describe('Start a fresh session on every connect (false keeps the persistent session)'),
    sessionExpirySeconds: z
      .int()
      .min(0)
      .max(0xffffffff)
      .optional()
      .describe('MQTT 5: how long the broker keeps the session after a disconnect; default 86400 (one day)'),
    messageExpirySeconds: z
      .int()
      .min(1)
      .max(0xffffffff)
      .optional()
      .describe('MQTT 5: the broker drops a message no subscriber took within this time'),
    username: secretRefSchema.optional().describe('User name, from the secret store'),
    password: secretRefSchema.optional().describe('Password, from the secret store'),
    tls: tlsSchema.prefault({}),
    connectTimeoutMs: z
      .int()
      .positive()
      .default(10_000)
      .describe('Give up connecting (TCP, TLS and CONNACK) after this long'),
    publishTimeoutMs: z
      .int()
      .positive()
      .default(30_000)
      .describe('Give up waiting for the PUBACK or PUBCOMP of one message after this long (it is retried)'),
    batch: messageBatchSchema.optional(),
    ...deliveryPolicyShape,
  })
  .superRefine((destination, ctx) => {
    const issue = (path: string, message: string, fix: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message, params: { fix } });
    let url: URL | undefined;
    try {
      url = new URL(destination.url);
    } catch {
      issue(
        'url',
        `${JSON.stringify(destination.url)} is not a URL`,
        'write it as mqtts://broker.example.com:8883',
      );
    }
    if (url) {
      if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:')
        issue(
          'url',
          `must be an mqtt:// or mqtts:// URL, not ${url.protocol}//`,
          'write it as mqtts://broker.example.com:8883',
        );
      else if (url.hostname === '')
        issue('url', 'names no broker host', 'write it as mqtts://broker.example.com:8883');
      if (url.username || url.password)
        issue(
          'url',
          'holds credentials, which would end up in logs and status',
          'remove them from the URL and set username and password as { "secretRef": "<name>" }',
        );
      if (url.pathname !== '' && url.pathname !== '/')
        issue(
          'url',
          `has a path (${url.pathname}); the topic is set with topic`,
          'remove the path from the URL',
        );
      if (
        url.protocol === 'mqtt:' &&
        !destination.allowInsecure &&
        url.hostname &&
        !isLoopbackHost(url.hostname)
      )
        issue(
          'url',
          `plain mqtt to ${url.hostname} would carry records and the password across the network unencrypted`,
          'use an mqtts:// URL; only on a trusted internal network, set allowInsecure: true on the destination',
        );
      const tlsSet = destination.tls.caFile ?? destination.tls.certFile ?? destination.tls.keyFile;
      if (url.protocol === 'mqtt:' && tlsSet !== undefined)
        issue(
          'tls',
          'has TLS files but the URL is plain mqtt://',
          'use an mqtts:// URL, or remove the tls files',
        );
    }
    for (const problem of topicTemplateProblems(destination.topic))
      issue('topic', problem, 'use a topic such as "orders/{{businessKey}}"; see docs/mqtt-destination.md');
    if ((destination.tls.certFile === undefined) !== (destination.tls.keyFile === undefined))
      issue('tls', 'a client certificate needs both certFile and keyFile', 'set both, or neither');
    if (destination.protocolVersion === 4) {
      const v5 = 'is an MQTT 5 setting, and protocolVersion is 4 (MQTT 3.1.1)';
      const fix = 'remove it, or set protocolVersion to 5';
      if (destination.sessionExpirySeconds !== undefined) issue('sessionExpirySeconds', v5, fix);
      if (destination.messageExpirySeconds !== undefined) issue('messageExpirySeconds', v5, fix);
      if (destination.password && !destination.username)
        issue(
          'username',
          'MQTT 3.1.1 sends a password only with a user name',
          'set username too, or use protocolVersion 5',
        );
    }
    const longest = destination.connectTimeoutMs + destination.publishTimeoutMs;
    if (destination.leaseMs <= longest)
      issue(
        'leaseMs',
        `leaseMs (${destination.leaseMs}) must be longer than connectTimeoutMs + publishTimeoutMs (${longest}): a lease could expire while its message is still in flight`,
        `set leaseMs to at least ${longest + 10_000}`,
      );
  })
  .describe('Publishes each record as one message to an MQTT broker');

export type MqttDestinationConfig = z.output<typeof mqttDestinationSchema>;

/** The session expiry the agent asks for when the config leaves it out (MQTT 5). */
export const defaultSessionExpirySeconds = 86_400;
