// The engine against the real ingest server: batches, URL templates, trace context and the delivery gate in status.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isValidTraceparent } from '../../main/observability/traceparent.js';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('delivery-');

function dropJson(inbox: string, count: number, prefix = 'r') {
  for (let i = 1; i <= count; i++) writeFileSync(join(inbox, `${prefix}${i}.json`), JSON.stringify({ n: i }));
}

describe('batched delivery', () => {
  it('sends JSON records as one JSON-array batch under a derived key, each record applied once', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      destination: { batch: { format: 'json-array', lingerMs: 1500 } },
    });
    dropJson(inbox, 5);
    await waitFor(() => ingest.appliedItems().length === 5, 15_000, 'five records');
    expect(ingest.applied().length).toBeLessThan(5); // they went in batches, not one request each
    const [first] = ingest.applied();
    expect(first?.key).toMatch(/^batch-\d+-[0-9a-f]{64}$/);
    expect(first?.contentType).toBe('application/json');
    const values = ingest.appliedItems().map((i) => (JSON.parse(i.body.toString()) as { n: number }).n);
    expect(values.sort()).toEqual([1, 2, 3, 4, 5]);
    await waitForStatus(engine, (s) => connectionOf(s).pending === 0, 'all settled');
    const [record] = engine.outbox.search({ businessKey: 'r1.json', limit: 1 });
    expect(record?.receipt).toMatchObject({ code: 'HTTP 201' });
    expect(record?.receipt?.batchKey).toMatch(/^batch-/);
  });

  it('dead-letters a record a JSON batch cannot carry and delivers the others', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      destination: { batch: { format: 'ndjson', lingerMs: 1500 } },
    });
    dropJson(inbox, 2);
    writeFileSync(join(inbox, 'notes.txt'), 'plain text, not JSON');
    await waitForStatus(
      engine,
      (s) => connectionOf(s).dead === 1 && connectionOf(s).pending === 0,
      'settled',
    );
    expect(ingest.appliedItems()).toHaveLength(2);
    expect(ingest.applied()[0]?.contentType).toBe('application/x-ndjson');
    const [dead] = engine.outbox.deadLetters({ connection: 'it', limit: 5 });
    expect(dead?.businessKey).toBe('notes.txt');
    expect(dead?.lastError).toMatch(/not valid JSON .*ndjson batches carry JSON records only/);
  });

  it('a batch that failed is resent with the same members and key, and the server applies it once', async () => {
    const { dataDir, inbox } = h.paths();
    let calls = 0;
    const ingest = await h.ingest({
      faults: () => (++calls <= 2 ? { kind: 'reset', afterApply: calls === 2 } : undefined),
    });
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      destination: { batch: { format: 'json-array', lingerMs: 1500 } },
    });
    dropJson(inbox, 3);
    await waitFor(() => ingest.appliedItems().length === 3, 15_000, 'three records');
    await waitForStatus(engine, (s) => connectionOf(s).pending === 0, 'all settled');
    const keys = new Set(ingest.applied().map((a) => a.key));
    expect(ingest.appliedItems()).toHaveLength(3);
    expect(keys.size).toBe(ingest.applied().length);
    expect(ingest.stats().duplicates).toBeGreaterThanOrEqual(1); // the resend after the post-apply reset was absorbed
  });
});

describe('request shape', () => {
  it('fills the URL template from the record and sends a traceparent recorded on the timeline', async () => {
    const { dataDir, inbox } = h.paths();
    const traceparents: string[] = [];
    const urls: string[] = [];
    const ingest = await h.ingest({
      authorize: (_auth, req) => {
        traceparents.push(String(req.headers.traceparent));
        urls.push(req.url ?? '');
        return true;
      },
    });
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      path: '/ingest/customers/{{record.customer}}/orders?file={{businessKey}}',
      destination: { traceContext: true },
    });
    writeFileSync(join(inbox, 'o 1.json'), JSON.stringify({ customer: 'ACME/Berlin' }));
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the order');
    expect(urls[0]).toBe('/ingest/customers/ACME%2FBerlin/orders?file=o%201.json');
    expect(isValidTraceparent(traceparents[0] ?? '')).toBe(true);
    const [record] = engine.outbox.search({ businessKey: 'o 1.json', limit: 1 });
    await waitFor(() => engine.outbox.timeline(record!.id)?.record.state === 'delivered', 5000, 'the settle');
    const delivered = engine.outbox.timeline(record!.id)?.events.find((e) => e.kind === 'delivered');
    expect(delivered?.detail).toMatchObject({ traceparent: traceparents[0] });
  });
});

describe('delivery gate', () => {
  it('opens the circuit after consecutive failures, says why in status, and closes it after a good probe', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest({ faults: () => ({ kind: 'status', status: 503 }) });
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      destination: { circuitBreaker: { failureThreshold: 3, openMs: 1000, maxOpenMs: 1000 } },
    });
    dropJson(inbox, 3);
    await waitForStatus(
      engine,
      (s) => connectionOf(s).destination?.state === 'circuit-open',
      'an open circuit',
    );
    const status = connectionOf(engine.status());
    expect(status.destination?.circuit).toMatchObject({ state: 'open' });
    expect(status.destination?.circuit?.reason).toMatch(/3 consecutive failures; last: HTTP 503/);
    expect(status.health).toBe('attention');
    expect(status.reason).toMatch(/circuit open/);
    const requestsWhileOpen = ingest.stats().requests;
    await new Promise((r) => setTimeout(r, 300));
    expect(ingest.stats().requests).toBe(requestsWhileOpen); // nothing hammers the server while open
    ingest.setFaults(undefined);
    await waitFor(() => ingest.appliedItems().length === 3, 15_000, 'delivery after the circuit closed');
    await waitForStatus(
      engine,
      (s) => connectionOf(s).destination?.circuit?.state === 'closed',
      'closed circuit',
    );
  });

  it('holds the whole destination when the server answers 429 with Retry-After', async () => {
    const { dataDir, inbox } = h.paths();
    const seen: number[] = [];
    let calls = 0;
    const ingest = await h.ingest({
      faults: () => {
        seen.push(Date.now());
        return ++calls === 1 ? { kind: 'status', status: 429, headers: { 'retry-after': '2' } } : undefined;
      },
    });
    const engine = await h.engine({ dataDir, inbox, url: ingest.url, destination: { concurrency: 1 } });
    writeFileSync(join(inbox, 'a.json'), '{}');
    await waitForStatus(engine, (s) => connectionOf(s).destination?.state === 'throttled', 'throttled');
    expect(connectionOf(engine.status()).destination?.detail).toMatch(/the server asked to wait \(HTTP 429/);
    writeFileSync(join(inbox, 'b.json'), '{}'); // another ordering key: still held
    await waitFor(() => ingest.applied().length === 2, 15_000, 'both records');
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(1900);
  });

  it('sends nothing outside the sending window and says when it opens', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const now = new Date();
    const hh = (d: Date) =>
      `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const from = new Date(now.getTime() + 2 * 3600_000);
    const to = new Date(now.getTime() + 3 * 3600_000);
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      destination: { sendingWindows: { timeZone: 'UTC', windows: [{ from: hh(from), to: hh(to) }] } },
    });
    writeFileSync(join(inbox, 'a.json'), '{}');
    await waitForStatus(engine, (s) => connectionOf(s).pending === 1, 'captured');
    await waitForStatus(
      engine,
      (s) => connectionOf(s).destination?.state === 'outside-window',
      'outside window',
    );
    const status = connectionOf(engine.status());
    expect(status.destination?.sendingWindow).toMatchObject({ open: false });
    expect(status.destination?.detail).toMatch(/outside the sending window .*sending resumes at/);
    expect(status.health).toBe('catching-up');
    expect(ingest.stats().requests).toBe(0);
  });

  it('spaces requests by the rate limit', async () => {
    const { dataDir, inbox } = h.paths();
    const seen: number[] = [];
    const ingest = await h.ingest({ faults: () => void seen.push(Date.now()) });
    await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      destination: { rateLimit: { requestsPerSecond: 5, burst: 1 } },
    });
    dropJson(inbox, 4);
    await waitFor(() => ingest.applied().length === 4, 15_000, 'four records');
    // 5 per second, burst 1: four requests span at least 600 ms. The span, not each gap, is checked: a busy machine
    // can delay one arrival and shorten the gap after it, but cannot make the bucket release tokens early.
    expect(seen.at(-1)! - seen[0]!).toBeGreaterThanOrEqual(500);
  });

  it('one record per request leases without counting what is due first, unless a rate limit needs the count', async () => {
    for (const [rateLimit, counts] of [
      [undefined, false],
      [{ requestsPerSecond: 50, burst: 5 }, true],
    ] as const) {
      const { dataDir, inbox } = h.paths();
      const ingest = await h.ingest();
      const engine = await h.engine({
        dataDir,
        inbox,
        url: ingest.url,
        destination: rateLimit ? { rateLimit } : {},
      });
      const peek = vi.spyOn(engine.outbox, 'peekReady');
      dropJson(inbox, 3, `p${String(counts)}`);
      await waitFor(() => ingest.applied().length === 3, 15_000, 'three records');
      expect(peek.mock.calls.length > 0).toBe(counts);
      peek.mockRestore();
      await engine.stop(2000);
    }
  });

  it('warns in status when the oldest pending record passes the configured age', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest({ faults: () => ({ kind: 'status', status: 503 }) });
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      destination: { maxPendingAgeMinutes: 0.005, circuitBreaker: { enabled: false } },
    });
    writeFileSync(join(inbox, 'a.json'), '{}');
    await waitForStatus(engine, (s) => connectionOf(s).warnings.length > 0, 'an age warning');
    expect(connectionOf(engine.status()).warnings[0]).toMatch(
      /oldest pending record has waited .*alert after 0.005 min/,
    );
  });
});
