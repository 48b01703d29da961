// A broker that goes away mid-stream: sends are retried with a plain reason and every record reaches the subscriber.
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingRecord, SendResult } from '../../../../connectors/core/destination.js';
import { startMosquitto } from '../../../support/mosquitto-server.js';
import { buildDestination, neverAborted, record, single, subscribe } from './mqtt-test-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('MQTT destination when the broker restarts', () => {
  it('retries the records sent while the broker is down and delivers them all once it is back', async () => {
    // Persistent broker and subscriber session: messages published while the subscriber reconnects wait for it.
    const broker = await startMosquitto({ persistent: true });
    cleanups.push(() => broker.stop());
    const sub = await subscribe(broker.url, 'stream/#', {
      clientId: 'restart-subscriber',
      clean: false,
      properties: { sessionExpiryInterval: 600 },
    });
    cleanups.push(() => sub.close());
    const mqtt = buildDestination({
      url: broker.url,
      topic: 'stream/{{idempotencyKey}}',
      connectTimeoutMs: 2000,
      // a publish that went out just as the broker stopped is given back soon, not after 30 s
      publishTimeoutMs: 2000,
    });
    cleanups.push(() => mqtt.close());

    const attempts = new Map<number, SendResult[]>();
    /** What the dispatcher does: send again after a retry outcome until the record is delivered. */
    const deliver = async (r: OutgoingRecord) => {
      for (let attempt = 1; attempt <= 100; attempt++) {
        const result = await mqtt.send(single({ ...r, attempts: attempt }), neverAborted);
        attempts.set(r.id, [...(attempts.get(r.id) ?? []), result]);
        if (result.kind === 'delivered') return result;
        expect(result.kind).toBe('retry');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`record ${r.id} was never delivered`);
    };

    const before = [1, 2, 3, 4, 5].map((id) => record(id, `{"n":${id}}`));
    await Promise.all(before.map(deliver));
    await broker.pause();
    const after = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((id) => record(id, `{"n":${id}}`));
    const sending = Promise.all(after.map(deliver));
    // while the broker is away every record is told to retry, with the reason in plain words
    while (!after.every((r) => (attempts.get(r.id) ?? []).length > 0))
      await new Promise((resolve) => setTimeout(resolve, 20));
    await broker.resume();
    await sending;

    const firstTries = after.map((r) => attempts.get(r.id)?.[0]);
    for (const first of firstTries) {
      expect(first).toMatchObject({ kind: 'retry', signal: 'failure' });
      expect(first?.kind === 'retry' && first.error).toMatch(
        /the broker at 127\.0\.0\.1:\d+ (refuses connections|closed the connection|did not acknowledge)/,
      );
    }
    const keys = [...before, ...after].map((r) => r.idempotencyKey);
    await sub.waitFor(keys.length, 20_000);
    expect([...new Set(sub.messages.map((m) => m.idempotencyKey))].sort()).toEqual([...keys].sort());
  });
});
