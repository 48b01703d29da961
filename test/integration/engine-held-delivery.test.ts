// Delivery held at start (what `run` does until its console listens): capture goes on, nothing is sent until startDelivery.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('held-delivery-');

describe('delivery held at start', () => {
  it('captures while held, sends nothing, and delivers once started; connections added later deliver at once', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({ dataDir, inbox, url: ingest.url, holdDelivery: true });
    writeFileSync(join(inbox, 'a.json'), '{"a":1}');
    await waitForStatus(engine, (s) => s.outbox.pending === 1, 'the file captured');
    await new Promise((resolve) => setTimeout(resolve, 300)); // unheld, the harness's fast retries deliver by now
    expect(ingest.applied()).toHaveLength(0);
    expect(connectionOf(engine.status()).pending).toBe(1);

    engine.startDelivery();
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the held record delivered');
    await waitForStatus(engine, (s) => s.outbox.pending === 0, 'settled');

    // Rebuilt at runtime (a config change): no longer held.
    await engine.restartConnections(['it']);
    writeFileSync(join(inbox, 'b.json'), '{"b":2}');
    await waitFor(
      () => ingest.applied().length === 2,
      10_000,
      'the second file delivered without another start',
    );
  });
});
