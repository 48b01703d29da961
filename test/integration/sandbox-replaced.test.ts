// The first connection saved through the UI replaces the sandbox: its notice goes, one line says what happened, and the sandbox's history is labelled as such.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentHandlers } from '../../main/api/agent-handlers.js';
import { createEngineBackend } from '../../main/api/engine-backend.js';
import { connectionRows } from '../../main/commands/connections-command.js';
import { bundleSummary } from '../../main/diagnostics/bundle/summary.js';
import { hostAgent, type HostedAgent } from '../../main/engine/host.js';
import { waitFor } from '../support/agent-process.js';
import { startIngestServer, type IngestServer } from '../support/ingest.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'sandbox-replaced-' });
let agent: HostedAgent | undefined;
let ingest: IngestServer | undefined;
let closeBackend: (() => void) | undefined;

afterEach(async () => {
  closeBackend?.();
  await agent?.stop();
  await ingest?.close();
  agent = ingest = closeBackend = undefined;
});

describe('the first saved connection replaces the sandbox', () => {
  it('drops the sandbox notice, says what happened, and labels the sandbox history in connections list and summary.txt', async () => {
    const dataDir = join(tempDir(), 'data');
    agent = await hostAgent({ dataDir, logLevel: 'silent' });
    const { engine } = agent;
    expect(engine.status().sandbox).toBe(true);
    expect(engine.status().notices.map((n) => n.message)).toContainEqual(
      expect.stringContaining('SANDBOX: no config found'),
    );
    writeFileSync(join(agent.sandbox!.inbox, 'hello.txt'), 'hello sandbox\n');
    await waitFor(
      () => engine.outbox.lastDeliveredAt('sandbox') !== undefined,
      10_000,
      'the sandbox delivery',
    );

    ingest = await startIngestServer();
    const backend = createEngineBackend({ engine });
    closeBackend = backend.close;
    const handlers = createAgentHandlers(backend, { validateResults: true });
    const inbox = join(tempDir(), 'inbox');
    mkdirSync(inbox);
    await handlers.call(
      'addConnection',
      {
        connection: {
          id: 'first',
          source: { type: 'folder', path: inbox },
          destination: { type: 'http', url: `${ingest.url}/ingest/first` },
        },
      },
      { role: 'admin' },
    );

    const status = engine.status();
    expect(status.sandbox).toBe(false);
    expect(status.connections.map((c) => c.id)).toEqual(['first']);
    const notices = status.notices.map((n) => n.message);
    expect(notices.filter((m) => m.includes('SANDBOX'))).toEqual([]);
    expect(notices).toContainEqual(
      `The sandbox was replaced by the config in ${join(dataDir, 'config.yaml')}; the records it captured stay in the history until retention removes them`,
    );

    await waitFor(
      () => !/"id":\s*"sandbox"/.test(readFileSync(join(dataDir, 'status.json'), 'utf8')),
      5_000,
      'status.json without the sandbox connection',
    );
    const rows = await connectionRows({ dataDir });
    expect(rows.find((r) => r.id === 'sandbox')).toMatchObject({
      name: 'the former sandbox',
      source: 'sandbox inbox (replaced by your config)',
      destination: 'nothing is sent; its records leave with retention',
      state: 'replaced',
    });
    const summary = bundleSummary({
      createdAt: Date.now(),
      agentVersion: 'test',
      agentPid: process.pid,
      status,
      statistics: [
        {
          connection: 'sandbox',
          pending: 0,
          pendingBytes: 0,
          dead: 0,
          byState: { delivered: 1 },
          retryHistogram: {},
        },
      ],
      deadLetters: [],
      notes: [],
    });
    expect(summary).toContain('the former sandbox: replaced by the config');
  });
});
