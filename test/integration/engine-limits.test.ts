// The engine under pressure: capture pauses at the backlog cap and resumes; a full outbox loses nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/agent-process.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';

const h = useEngineHarness('limits-');

describe('engine limits', () => {
  it('pauses capture at maxPendingRecords, says why, and resumes when delivery drains the backlog', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest({ faults: () => ({ kind: 'status', status: 503 }) });
    const engine = await h.engine({ dataDir, inbox, url: ingest.url, outbox: { maxPendingRecords: 3 } });
    for (let i = 0; i < 8; i += 1) writeFileSync(join(inbox, `f${i}.txt`), `file ${i}`);
    await waitForStatus(engine, (s) => s.outbox.capturePaused, 'capture to pause');
    const paused = engine.status();
    // The transaction that crosses the cap is stored whole (files found together share one): at least the cap.
    expect(paused.outbox.capturePausedReason).toMatch(/\d+ undelivered records \(cap 3\)/);
    expect(connectionOf(paused).source?.state).toBe('paused');
    const atPause = paused.outbox.pending;
    expect(atPause).toBeGreaterThanOrEqual(3);
    for (let i = 8; i < 12; i += 1) writeFileSync(join(inbox, `f${i}.txt`), `file ${i}`);
    await new Promise((r) => setTimeout(r, 2500)); // past the quiet period: these would be captured now
    expect(engine.status().outbox.pending).toBe(atPause); // capture really stopped once the cap was crossed

    ingest.setFaults(undefined);
    await waitFor(() => ingest.applied().length === 12, 20_000, 'all 12 files delivered after resume');
    await waitForStatus(
      engine,
      (s) => !s.outbox.capturePaused && s.health === 'in-sync',
      'resumed and in sync',
    );
  });

  it('keeps a file that does not fit in a full outbox queued, and captures it after restart with room', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      outbox: { maxDatabaseBytes: 256 * 1024 },
    });
    writeFileSync(join(inbox, 'small.txt'), 'fits');
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the small file delivered');
    writeFileSync(join(inbox, 'big.bin'), Buffer.alloc(600 * 1024, 7));
    await waitForStatus(engine, (s) => connectionOf(s).source?.state === 'degraded', 'source degraded');
    expect(connectionOf(engine.status()).source?.detail).toMatch(
      /cannot store big\.bin in the outbox: .*full/,
    );
    expect(engine.status().health).toBe('attention');
    await engine.stop(1000);

    await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      outbox: { maxDatabaseBytes: 8 * 1024 * 1024 },
    });
    await waitFor(() => ingest.applied().length === 2, 10_000, 'the big file delivered after restart');
    expect(ingest.applied().map((a) => a.body.length)).toEqual([4, 600 * 1024]);
  });
});
