// The engine in-process against the real ingest server: dead letters and replay, Retry-After, per-key order.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('engine-');

describe('engine delivery', () => {
  it('dead-letters a permanent 400 with the response, and a replay delivers it with the same key', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest({
      faults: () => ({ kind: 'status', status: 400, body: '{"error":"customer 17 unknown"}' }),
    });
    const engine = await h.engine({ dataDir, inbox, url: ingest.url });
    writeFileSync(join(inbox, 'order-1.json'), '{"order":1}');
    await waitForStatus(engine, (s) => connectionOf(s).dead === 1, 'a dead letter');

    const status = engine.status();
    expect(status.health).toBe('attention');
    expect(connectionOf(status).reason).toMatch(/1 record in the dead-letter queue needs a decision/);
    const [dead] = engine.outbox.deadLetters({ connection: 'it', limit: 10 });
    expect(dead?.lastError).toContain('customer 17 unknown');
    const deadEvent = engine.outbox.timeline(dead!.id)?.events.find((e) => e.kind === 'dead');
    expect(deadEvent?.detail).toMatchObject({ code: 'HTTP 400', response: { code: 'HTTP 400' } });

    ingest.setFaults(undefined); // the cause is fixed
    expect(engine.outbox.replay([dead!.id], 'test').done).toEqual([dead!.id]);
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the replayed record to arrive');
    expect(ingest.applied()[0]?.key).toBe(dead!.idempotencyKey);
    await waitForStatus(engine, (s) => s.health === 'in-sync', 'in sync');
  });

  it('honours Retry-After on 429 and records every attempt on the timeline', async () => {
    const { dataDir, inbox } = h.paths();
    let calls = 0;
    const seenAt: number[] = [];
    const ingest = await h.ingest({
      faults: () => {
        seenAt.push(Date.now());
        calls += 1;
        return calls === 1 ? { kind: 'status', status: 429, headers: { 'retry-after': '1' } } : undefined;
      },
    });
    const engine = await h.engine({ dataDir, inbox, url: ingest.url });
    writeFileSync(join(inbox, 'a.txt'), 'a');
    await waitFor(() => ingest.applied().length === 1, 10_000, 'delivery after Retry-After');
    expect(seenAt[1]! - seenAt[0]!).toBeGreaterThanOrEqual(950);
    const [record] = engine.outbox.search({ businessKey: 'a.txt', limit: 1 });
    await waitFor(() => engine.outbox.timeline(record!.id)?.record.state === 'delivered', 5000, 'the settle');
    const kinds = engine.outbox.timeline(record!.id)?.events.map((e) => e.kind);
    expect(kinds).toEqual(['captured', 'queued', 'attempt', 'delivered']);
  });

  it('delivers versions of one file in capture order even when the first attempts fail', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest({ faults: () => ({ kind: 'status', status: 503 }) });
    const engine = await h.engine({ dataDir, inbox, url: ingest.url });
    for (const version of ['v1', 'v2', 'v3']) {
      writeFileSync(join(inbox, 'stock.csv'), version);
      await waitForStatus(
        engine,
        (s) => connectionOf(s).source?.lastCaptureAt !== undefined && s.outbox.pending >= Number(version[1]),
        `${version} captured`,
      );
    }
    ingest.setFaults(undefined);
    await waitFor(() => ingest.applied().length === 3, 10_000, 'three versions delivered');
    expect(ingest.applied().map((a) => a.body.toString())).toEqual(['v1', 'v2', 'v3']);
  });
});
