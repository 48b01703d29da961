// The charts count live what is captured, delivered and dead-lettered; after a restart they still know the last hour (the outbox has it).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineBackend } from '../../main/api/engine-backend.js';
import { seedThroughput } from '../../main/observability/outbox-activity.js';
import { ThroughputHistory } from '../../main/observability/throughput-history.js';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('activity-restart-');

type Minute = { captured: number; delivered: number; failed: number };
const totalsOf = (minutes: Minute[]) =>
  minutes.reduce(
    (sum, m) => ({
      captured: sum.captured + m.captured,
      delivered: sum.delivered + m.delivered,
      failed: sum.failed + m.failed,
    }),
    { captured: 0, delivered: 0, failed: 0 },
  );

describe('activity across a restart', () => {
  it('counts deliveries and dead letters live, as the dispatcher group-commits its settles', async () => {
    const { dataDir, inbox } = h.paths();
    let refuse = false;
    const ingest = await h.ingest({
      faults: () => (refuse ? { kind: 'status', status: 400, body: '{"error":"no"}' } : undefined),
    });
    const engine = await h.engine({ dataDir, inbox, url: ingest.url });
    const backend = createEngineBackend({ engine });
    try {
      writeFileSync(join(inbox, 'a.json'), '{"a":1}');
      writeFileSync(join(inbox, 'b.json'), '{"b":2}');
      await waitFor(() => ingest.applied().length === 2, 10_000, 'two deliveries');
      await waitForStatus(engine, (s) => s.outbox.pending === 0, 'both settled');
      refuse = true;
      writeFileSync(join(inbox, 'c.json'), '{"c":3}');
      await waitForStatus(engine, (s) => connectionOf(s).dead === 1, 'a dead letter');
      const { series } = await backend.throughput({}, { role: 'viewer', actor: 'test' });
      expect(totalsOf(series.find((s) => s.connection === 'it')!.minutes)).toEqual({
        captured: 3,
        delivered: 2,
        failed: 1,
      });
    } finally {
      backend.close();
    }
  });

  it('keeps last capture, last delivery and the per-minute counts captured / delivered / dead-lettered', async () => {
    const { dataDir, inbox } = h.paths();
    let refuse = false;
    const ingest = await h.ingest({
      faults: () => (refuse ? { kind: 'status', status: 400, body: '{"error":"no"}' } : undefined),
    });
    const first = await h.engine({ dataDir, inbox, url: ingest.url });
    writeFileSync(join(inbox, 'a.json'), '{"a":1}');
    writeFileSync(join(inbox, 'b.json'), '{"b":2}');
    await waitFor(() => ingest.applied().length === 2, 10_000, 'two deliveries');
    await waitForStatus(first, (s) => s.outbox.pending === 0, 'both settled');
    refuse = true;
    writeFileSync(join(inbox, 'c.json'), '{"c":3}');
    await waitForStatus(first, (s) => connectionOf(s).dead === 1, 'a dead letter');
    const capturedAt = connectionOf(first.status()).source?.lastCaptureAt;
    expect(capturedAt).toBeDefined();
    await first.stop(1000);

    const second = await h.engine({ dataDir, inbox, url: ingest.url });
    const after = connectionOf(second.status());
    // The restarted source has captured nothing yet; the outbox remembers when the last record came in.
    expect(after.source?.lastCaptureAt).toBeGreaterThanOrEqual(capturedAt! - 5_000);
    expect(after.source?.lastCaptureAt).toBeLessThanOrEqual(capturedAt!);
    expect(after.lastDeliveredAt).toBeDefined();

    const history = new ThroughputHistory();
    await seedThroughput(history, second.outbox.db, ['it'], Date.now());
    const [series] = history.series();
    expect(series?.connection).toBe('it');
    expect(totalsOf(series!.minutes)).toEqual({ captured: 3, delivered: 2, failed: 1 });
    expect(series!.minutes).toHaveLength(60);
  });
});
