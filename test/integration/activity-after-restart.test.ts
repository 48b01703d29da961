// After a restart the status and the charts still know the last capture and the last hour's throughput: the outbox has them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedThroughput } from '../../main/observability/outbox-activity.js';
import { ThroughputHistory } from '../../main/observability/throughput-history.js';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('activity-restart-');

describe('activity across a restart', () => {
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
    const totals = series!.minutes.reduce(
      (sum, m) => ({
        captured: sum.captured + m.captured,
        delivered: sum.delivered + m.delivered,
        failed: sum.failed + m.failed,
      }),
      { captured: 0, delivered: 0, failed: 0 },
    );
    expect(totals).toEqual({ captured: 3, delivered: 2, failed: 1 });
    expect(series!.minutes).toHaveLength(60);
  });
});
