// End to end: files dropped into a folder reach the ingest API exactly once, across SIGKILLs of the agent process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnAgent, waitFor, type AgentProcess } from '../support/agent-process.js';
import { mixedFaults, startIngestServer, type IngestServer } from '../support/ingest.js';
import { seededRandom } from '../support/seeded-random.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'e2e-' });
let ingest: IngestServer | undefined;
let agent: AgentProcess | undefined;

afterEach(async () => {
  agent?.kill('SIGKILL');
  await agent?.exited;
  await ingest?.close();
  agent = undefined;
  ingest = undefined;
});

function writeConfig(dir: string, inbox: string, url: string): string {
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    [
      'configVersion: 1',
      'connections:',
      '  - id: e2e',
      `    source: { type: folder, path: ${JSON.stringify(inbox)}, quietPeriodMs: 150 }`,
      `    destination: { type: http, url: "${url}/ingest/e2e", concurrency: 4, retry: { baseMs: 50, capMs: 400 } }`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('folder → outbox → HTTP, with the agent killed mid-flight', () => {
  it('applies every file exactly once after 6 SIGKILLs and restarts', async () => {
    const dir = tempDir();
    const inbox = join(dir, 'inbox');
    const dataDir = join(dir, 'data');
    mkdirSync(inbox);
    const random = seededRandom(42);
    ingest = await startIngestServer({ faults: mixedFaults(0.2, random) });
    const config = writeConfig(dir, inbox, ingest.url);
    const start = async () => {
      agent = spawnAgent(['run', '--config', config, '--data-dir', dataDir]);
      await agent.waitForOutput(/running \(pid/);
    };

    const expected = new Map<string, string>();
    let next = 0;
    const drop = (count: number) => {
      for (let i = 0; i < count; i += 1, next += 1) {
        const body = `invoice ${next}\n${'x'.repeat(200 + next)}\n`;
        writeFileSync(join(inbox, `invoice-${next}.txt`), body);
        expected.set(`/ingest/e2e|${body}`, body);
      }
    };

    await start();
    for (let round = 0; round < 6; round += 1) {
      drop(12);
      await new Promise((r) => setTimeout(r, 150 + Math.floor(random() * 600)));
      agent!.kill('SIGKILL');
      await agent!.exited;
      await start();
    }
    // One file rewritten with new bytes is a new version; one rewritten with the same bytes is not captured again.
    writeFileSync(join(inbox, 'invoice-0.txt'), 'invoice 0, corrected\n');
    expected.set('/ingest/e2e|invoice 0, corrected\n', 'invoice 0, corrected\n');
    writeFileSync(join(inbox, 'invoice-1.txt'), `invoice 1\n${'x'.repeat(201)}\n`);

    await waitFor(
      () => ingest!.applied().length >= expected.size,
      60_000,
      `${expected.size} records applied`,
    );
    await new Promise((r) => setTimeout(r, 1500)); // anything extra would arrive now
    const applied = ingest.applied();
    const seen = applied.map((a) => `${a.path}|${a.body.toString()}`);
    expect(new Set(seen).size).toBe(seen.length); // no payload applied twice
    expect(new Set(applied.map((a) => a.key)).size).toBe(applied.length);
    expect(new Set(seen)).toEqual(new Set(expected.keys()));

    const stats = ingest.stats();
    console.log(
      `e2e: ${applied.length} applied exactly once, ${stats.duplicates} duplicate deliveries absorbed by their key, ` +
        `${stats.faults} injected faults, 6 SIGKILLs`,
    );
    agent!.kill('SIGTERM');
    expect(await agent!.exited).toBe(0);
    expect(agent!.output()).toContain('stopped cleanly');
  }, 120_000);
});
