// While delivery waits after a failure, status says when the next try goes out; once delivered, it says nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('next-retry-');

describe('next retry in status', () => {
  it('is set while records wait for a retry and gone once they are delivered', async () => {
    const { dataDir, inbox } = h.paths();
    let down = true;
    const ingest = await h.ingest({ faults: () => (down ? { kind: 'status', status: 503 } : undefined) });
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      destination: { retry: { baseMs: 2_000, capMs: 2_000 } },
    });
    writeFileSync(join(inbox, 'a.json'), '{"a":1}');
    await waitForStatus(engine, (s) => connectionOf(s).nextRetryAt !== undefined, 'a next retry time');
    const status = engine.status();
    expect(connectionOf(status).nextRetryAt).toBeGreaterThan(status.updatedAt);
    down = false;
    await waitForStatus(engine, (s) => connectionOf(s).pending === 0, 'delivered after the retry');
    expect(connectionOf(engine.status()).nextRetryAt).toBeUndefined();
  });
});
