// status.json: an idle agent does not rewrite an unchanged status every 2 s; any change is written at once.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusFile } from '../../main/shared/data-dir.js';
import { waitFor } from '../support/agent-process.js';
import { useEngineHarness } from '../support/engine-harness.js';

const h = useEngineHarness('status-file-');

describe('status.json', () => {
  it('stays as it is while nothing changes, and follows a change within a moment', async () => {
    const { dataDir, inbox } = h.paths();
    const ingest = await h.ingest();
    await h.engine({ dataDir, inbox, url: ingest.url });
    const file = statusFile(dataDir);
    // Let start-up settle (the first captures of an empty folder, the source turning idle).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const idle = { text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs };
    // Two periodic turns (2 s each) pass without a write: the status only aged.
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect(statSync(file).mtimeMs).toBe(idle.mtime);
    expect(readFileSync(file, 'utf8')).toBe(idle.text);

    writeFileSync(join(inbox, 'a.json'), '{"a":1}');
    await waitFor(() => ingest.applied().length === 1, 10_000, 'the record delivered');
    await waitFor(
      () =>
        (JSON.parse(readFileSync(file, 'utf8')) as { outbox: { pending: number }; updatedAt: number })
          .updatedAt > JSON.parse(idle.text).updatedAt,
      5_000,
      'status.json rewritten after the change',
    );
  });
});
