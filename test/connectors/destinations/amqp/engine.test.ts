// End to end through the real engine: files dropped into a folder arrive as confirmed messages on a real RabbitMQ.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { Engine } from '../../../../main/engine/engine.js';
import { openSecretStore } from '../../../../main/secrets/open-secret-store.js';
import { waitFor } from '../../../support/agent-process.js';
import { fileSecrets } from '../../../support/file-secrets.js';
import { startRabbitMQ, type RabbitServer } from '../../../support/rabbitmq-server.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { brokerOptions, drain, vhost } from './broker-fixture.js';

let server: RabbitServer;
beforeAll(async () => {
  server = await startRabbitMQ(brokerOptions);
  await server.withChannel(vhost, async (channel) => {
    await channel.assertExchange('invoices', 'topic', { durable: true });
    await channel.assertQueue('invoices-eu', { durable: true });
    await channel.bindQueue('invoices-eu', 'invoices', 'invoice.eu');
  });
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

const tempDir = useTempDir({ prefix: 'amqp-engine-' });
const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop(1000);
});

async function startEngine(dir: string) {
  const inbox = join(dir, 'inbox');
  const dataDir = join(dir, 'data');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  const secrets = fileSecrets(dir);
  const store = await openSecretStore(secrets, dataDir);
  await store.set('rabbit-admin', server.admin.password);
  const config = agentConfigSchema.parse({
    configVersion: 1,
    outbox: { minFreeDiskBytes: 0 },
    secrets,
    connections: [
      {
        id: 'invoices',
        source: { type: 'folder', path: inbox, quietPeriodMs: 100 },
        destination: {
          type: 'amqp',
          url: server.url(vhost),
          username: 'admin',
          password: { secretRef: 'rabbit-admin' },
          exchange: 'invoices',
          routingKey: 'invoice.{{record.region}}',
          retry: { baseMs: 20, capMs: 200 },
        },
      },
    ],
  });
  const engine = await Engine.start({ config, dataDir, logger: pino({ level: 'silent' }), version: 'test' });
  engines.push(engine);
  return { engine, inbox };
}

const stateOf = (engine: Engine, name: string) => engine.outbox.search({ businessKey: name, limit: 1 })[0];

describe('folder source → AMQP destination through the engine', () => {
  it('publishes each dropped file with its key as message-id, and dead-letters an unroutable one', async () => {
    const { engine, inbox } = await startEngine(tempDir());
    writeFileSync(join(inbox, 'a.json'), '{"region":"eu","n":1}');
    writeFileSync(join(inbox, 'b.json'), '{"region":"eu","n":2}');
    writeFileSync(join(inbox, 'c.json'), '{"region":"mars","n":3}');

    await waitFor(
      () =>
        stateOf(engine, 'a.json')?.state === 'delivered' &&
        stateOf(engine, 'b.json')?.state === 'delivered' &&
        stateOf(engine, 'c.json')?.state === 'dead',
      30_000,
      'two records delivered and one dead-lettered',
    );
    const messages = await server.withChannel(vhost, (channel) => drain(channel, 'invoices-eu'));
    const byId = new Map(messages.map((m) => [m.properties.messageId as string, m]));
    for (const [name, body] of [
      ['a.json', '{"region":"eu","n":1}'],
      ['b.json', '{"region":"eu","n":2}'],
    ] as const) {
      const record = stateOf(engine, name)!;
      expect(record.receipt).toMatchObject({ code: 'ack' });
      const message = byId.get(record.idempotencyKey);
      expect(message?.content.toString()).toBe(body);
      expect(message?.properties.deliveryMode).toBe(2);
    }
    const dead = engine.outbox.timeline(stateOf(engine, 'c.json')!.id)?.record;
    expect(dead?.lastError).toContain('no queue is bound to exchange invoices for routing key invoice.mars');
    const connection = engine.status().connections[0];
    expect(connection?.destination).toMatchObject({ type: 'amqp' });
    expect(JSON.stringify(engine.status())).not.toContain(server.admin.password);
  });
});
