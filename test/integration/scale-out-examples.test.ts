// docs/scale-out.md's examples, run for real: promtool checks the fleet scrape config and alert rules, and the example
// dedupe consumer applies each message once although the agent published it twice (mosquitto, RabbitMQ quorum queue).
import { spawn } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Destination, OutgoingRequest } from '../../connectors/core/destination.js';
import {
  destinationFor,
  live,
  requestOf,
  brokerOptions,
  vhost,
} from '../connectors/destinations/amqp/broker-fixture.js';
import {
  buildDestination,
  neverAborted,
  record,
  single,
} from '../connectors/destinations/mqtt/mqtt-test-kit.js';
import { startMosquitto } from '../support/mosquitto-server.js';
import { promtool } from '../support/promtool.js';
import { startRabbitMQ } from '../support/rabbitmq-server.js';
import { createTestPki } from '../support/test-ca.js';
import { useTempDir } from '../support/temp-dir.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const examples = join(repoRoot, 'docs/examples');
const tempDir = useTempDir({ prefix: 'scale-out-' });
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface ConsumerRun {
  ready: Promise<void>;
  done: Promise<{ code: number | null; lines: Record<string, unknown>[] }>;
}

/** Starts test/support/dedupe-consumer.ts (the example of docs/scale-out.md); it exits by itself after `count` new messages. */
function runConsumer(args: string[], count: number): ConsumerRun {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'test/support/dedupe-consumer.ts'), ...args, String(count)],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    if (text.includes('"event":"ready"')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  cleanups.push(() => Promise.resolve(child.kill('SIGKILL')));
  const done = new Promise<{ code: number | null; lines: Record<string, unknown>[] }>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      markReady();
      const lines = text
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, lines: code === 0 ? lines : [{ output: text }] });
    }),
  );
  return { ready, done };
}

/** Sends `requests` in order through `destination`, each must be delivered. */
async function publishAll(destination: Destination, requests: OutgoingRequest[], signal: AbortSignal) {
  for (const request of requests)
    expect(await destination.send(request, signal)).toMatchObject({ kind: 'delivered' });
}

function appliedKeys(stateFile: string): string[] {
  const db = new Database(stateFile, { readonly: true });
  try {
    return db.prepare('SELECT key FROM applied ORDER BY key').pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('scale-out examples', () => {
  it('promtool accepts the fleet scrape config and the alert rules', () => {
    const dir = tempDir();
    cpSync(join(examples, 'prometheus'), dir, { recursive: true });
    writeFileSync(join(dir, 'integration-agent.token'), 'the-console-token\n');
    cpSync(createTestPki().rootCa.certFile, join(dir, 'integration-agent-ca.pem'));
    const config = promtool(['check', 'config', join(dir, 'prometheus.yml')]);
    expect(config.output).not.toContain('FAILED');
    expect(config.output).toContain('SUCCESS: 1 rule files found');
    expect(config.status).toBe(0);
    const rules = promtool(['check', 'rules', join(dir, 'agent-alerts.yml')]);
    expect(rules.output).toContain('SUCCESS: 6 rules found');
    expect(rules.status).toBe(0);
  });

  it('MQTT: the example consumer applies a message published twice only once, by its idempotency-key user property', async () => {
    const broker = await startMosquitto();
    cleanups.push(() => broker.stop());
    const stateFile = join(tempDir(), 'state.db');
    const consumer = runConsumer([broker.url, 'orders/#', stateFile], 3);
    await consumer.ready;
    const destination = buildDestination({ url: broker.url, topic: 'orders/{{businessKey}}' });
    cleanups.push(() => destination.close());
    const [a, b, c] = [1, 2, 3].map((i) => record(i, `{"n":${i}}`, { businessKey: `INV-${i}` }));
    // b twice: what a consumer sees when the agent is killed between the PUBACK and its outbox commit.
    await publishAll(destination, [single(a!), single(b!), single(b!), single(c!)], neverAborted);
    const { code, lines } = await consumer.done;
    expect(lines.at(-1)).toEqual({ event: 'done', applied: 3, duplicates: 1 });
    expect(lines.filter((l) => l.event === 'duplicate')).toEqual([{ event: 'duplicate', key: 'key-2' }]);
    expect(code).toBe(0);
    expect(appliedKeys(stateFile)).toEqual(['key-1', 'key-2', 'key-3']);
  });

  it('AMQP: published to a quorum queue with confirms, the consumer drops the redelivered message by message-id', async () => {
    const server = await startRabbitMQ(brokerOptions);
    cleanups.push(() => server.stop());
    const queue = 'orders-quorum';
    await server.withChannel(vhost, (channel) =>
      channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } }),
    );
    const destination = destinationFor(server, { exchange: '', routingKey: queue });
    cleanups.push(() => destination.close());
    const [a, b] = [requestOf({ n: 1 }), requestOf({ n: 2 })];
    // a twice in a row: what a queue holds when the agent was killed between the broker's ack and its outbox commit.
    await publishAll(destination, [a, a, b], live());
    const stateFile = join(tempDir(), 'state.db');
    const url = `amqp://${server.admin.username}:${server.admin.password}@127.0.0.1:${server.port}/${vhost}`;
    const { code, lines } = await runConsumer([url, queue, stateFile], 2).done;
    expect(lines.filter((l) => l.event !== 'ready')).toEqual([
      { event: 'applied', key: a.idempotencyKey },
      { event: 'duplicate', key: a.idempotencyKey },
      { event: 'applied', key: b.idempotencyKey },
      { event: 'done', applied: 2, duplicates: 1 },
    ]);
    expect(code).toBe(0);
    expect(appliedKeys(stateFile)).toEqual([a.idempotencyKey, b.idempotencyKey].sort());
  });
});
