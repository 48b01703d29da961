// The agent on a full data disk: it stays up, capture pauses with the reason, logging degrades, and with room again
// everything captured is delivered. A real 4 MiB tmpfs holds the data directory.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnAgent, waitFor, type AgentProcess } from '../support/agent-process.js';
import { startIngestServer, type IngestServer } from '../support/ingest.js';
import { useSmallDisk } from '../support/small-disk.js';
import { useTempDir } from '../support/temp-dir.js';

const disk = useSmallDisk({ size: '4m' });
const tempDir = useTempDir({ prefix: 'full-disk-' });
let agent: AgentProcess | undefined;
let ingest: IngestServer | undefined;

afterEach(async () => {
  agent?.kill('SIGKILL');
  await agent?.exited;
  await ingest?.close();
  agent = undefined;
  ingest = undefined;
});

describe('agent on a full data disk', () => {
  it('keeps running drain-only with the reason shown, and delivers everything once there is room', async () => {
    ingest = await startIngestServer({});
    const inbox = join(tempDir(), 'inbox');
    mkdirSync(inbox);
    const dataDir = join(disk(), 'data');
    const config = join(tempDir(), 'agent.json');
    writeFileSync(
      config,
      JSON.stringify({
        configVersion: 1,
        logging: { level: 'debug' },
        console: { enabled: false },
        connections: [
          {
            id: 'c',
            source: { type: 'folder', path: inbox, quietPeriodMs: 200 },
            destination: { type: 'http', url: `${ingest.url}/ingest/c` },
          },
        ],
      }),
    );
    agent = spawnAgent(['run', '--config', config, '--data-dir', dataDir]);
    await agent.waitForOutput(/running \(pid/, 30_000);
    const filler = join(disk(), 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024)); // more than the disk: it is full after this
    } catch {
      // ENOSPC: exactly what this test wants
    }
    for (let i = 0; i < 20; i += 1) writeFileSync(join(inbox, `f${i}.json`), JSON.stringify({ i }));
    await agent.waitForOutput(/free on the data disk/, 30_000);
    expect(agent.child.exitCode).toBeNull();

    rmSync(filler, { force: true });
    await waitFor(
      () => ingest!.applied().length === 20,
      60_000,
      'all 20 files delivered after space was freed',
    );
    expect(agent.child.exitCode).toBeNull();
    expect(agent.output()).not.toMatch(/Unhandled 'error' event/);
  });
});
