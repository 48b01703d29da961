// End to end through the real engine: files dropped into a folder arrive as MQTT messages at a real subscriber.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { Engine } from '../../../../main/engine/engine.js';
import type { SecretStore } from '../../../../main/secrets/secret-store.js';
import { waitFor } from '../../../support/agent-process.js';
import { startMosquitto } from '../../../support/mosquitto-server.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { subscribe } from './mqtt-test-kit.js';

const tempDir = useTempDir({ prefix: 'mqtt-engine-' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function memoryStore(values: Record<string, string>): SecretStore {
  const stored = new Map(Object.entries(values));
  return {
    backend: 'file',
    description: 'test store',
    get: (name) => Promise.resolve(stored.get(name)),
    set: (name, value) => Promise.resolve(void stored.set(name, value)),
    delete: (name) => Promise.resolve(stored.delete(name)),
    list: () => Promise.resolve([...stored.keys()].sort()),
  };
}

describe('folder source → MQTT destination through the engine', () => {
  it('publishes each dropped file with its idempotency key, logs in with stored secrets, and shows it delivered', async () => {
    const broker = await startMosquitto({
      users: { agent: 'agent-password', reader: 'reader-password' },
      acl: ['user agent', 'topic write drops/#', 'user reader', 'topic read drops/#'],
    });
    cleanups.push(() => broker.stop());
    const sub = await subscribe(broker.url, 'drops/#', { username: 'reader', password: 'reader-password' });
    cleanups.push(() => sub.close());

    const dir = tempDir();
    const inbox = join(dir, 'inbox');
    const dataDir = join(dir, 'data');
    mkdirSync(inbox, { recursive: true });
    mkdirSync(dataDir, { recursive: true });
    const config = agentConfigSchema.parse({
      configVersion: 1,
      outbox: { minFreeDiskBytes: 0 },
      connections: [
        {
          id: 'drops',
          source: { type: 'folder', path: inbox, quietPeriodMs: 100 },
          destination: {
            type: 'mqtt',
            url: broker.url,
            topic: 'drops/{{businessKey}}',
            qos: 2,
            username: { secretRef: 'mqtt-user' },
            password: { secretRef: 'mqtt-password' },
            retry: { baseMs: 20, capMs: 200 },
          },
        },
      ],
    });
    const engine = await Engine.start({
      config,
      dataDir,
      logger: pino({ level: 'silent' }),
      version: 'test',
      secretStore: memoryStore({ 'mqtt-user': 'agent', 'mqtt-password': 'agent-password' }),
    });
    cleanups.push(() => engine.stop(1000));

    writeFileSync(join(inbox, 'a.json'), '{"order":1}');
    writeFileSync(join(inbox, 'b.json'), '{"order":2}');
    const delivered = () =>
      ['a.json', 'b.json'].every(
        (name) => engine.outbox.search({ businessKey: name, limit: 1 })[0]?.state === 'delivered',
      );
    await waitFor(delivered, 15_000, 'two records delivered');

    const messages = await sub.waitFor(2);
    for (const [name, body] of [
      ['a.json', '{"order":1}'],
      ['b.json', '{"order":2}'],
    ] as const) {
      const [record] = engine.outbox.search({ businessKey: name, limit: 1 });
      expect(engine.outbox.timeline(record!.id)?.record.receipt).toMatchObject({ code: 'PUBCOMP' });
      expect(messages.filter((m) => m.topic === `drops/${name}`)).toEqual([
        expect.objectContaining({ payload: body, idempotencyKey: record!.idempotencyKey }),
      ]);
    }
    const connection = engine.status().connections[0];
    expect(connection?.destination).toMatchObject({
      type: 'mqtt',
      label: `MQTT 127.0.0.1:${broker.port} topic drops/{{businessKey}}`,
      connection: {
        broker: `127.0.0.1:${broker.port}`,
        protocol: 'MQTT 5',
        qos: '2',
        tls: false,
        auth: 'password',
      },
    });
    expect(JSON.stringify(engine.status())).not.toContain('agent-password');
  });
});
