// The support CLI against a running headless agent: connections, dead letters (list, replay, discard), records find, diagnostics.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, spawnAgent, waitFor, type AgentProcess } from '../support/agent-process.js';
import { startIngestServer, type IngestServer } from '../support/ingest.js';
import { useTempDir } from '../support/temp-dir.js';
import { openOutboxReadOnly } from '../../main/diagnostics/bundle/open-outbox.js';
import { outboxFile } from '../../main/shared/data-dir.js';

const tempDir = useTempDir({ prefix: 'cli-support-' });
let ingest: IngestServer | undefined;
let agent: AgentProcess | undefined;

afterEach(async () => {
  agent?.kill('SIGKILL');
  await agent?.exited;
  await ingest?.close();
  agent = undefined;
  ingest = undefined;
});

const leakedToken = 'srv-tok-9fQx2LmZ7w';

interface DeadRow {
  id: number;
  businessKey: string;
  reason: string;
}

/** Open and dead counts of the connection, read the way the CLI reads them (read-only, beside the agent). */
function outboxCounts(dataDir: string): { pending: number; dead: number } {
  if (!existsSync(outboxFile(dataDir))) return { pending: -1, dead: -1 };
  const outbox = openOutboxReadOnly(dataDir);
  try {
    return outbox.counts('invoices');
  } finally {
    outbox.close();
  }
}

async function cliJson<T>(args: string[]): Promise<T> {
  const { code, output } = await runCli(args);
  expect(code, output).toBe(0);
  return JSON.parse(output.slice(output.search(/[[{]/))) as T;
}

describe('support CLI beside a running agent', () => {
  it('lists connections and dead letters, replays one to delivery, discards one, finds timelines, builds diagnostics', async () => {
    const dir = tempDir();
    const inbox = join(dir, 'inbox');
    const dataDir = join(dir, 'data');
    mkdirSync(inbox);
    let rejecting = true;
    ingest = await startIngestServer({
      faults: () =>
        rejecting
          ? { kind: 'status', status: 422, body: JSON.stringify({ error: 'rejected', token: leakedToken }) }
          : undefined,
    });
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'configVersion: 1',
        'connections:',
        '  - id: invoices',
        `    source: { type: folder, path: ${JSON.stringify(inbox)}, quietPeriodMs: 100 }`,
        `    destination: { type: http, url: "${ingest.url}/ingest/invoices", retry: { baseMs: 50, capMs: 200 } }`,
        'secrets: { backend: file, keyEnv: CLI_SUPPORT_TEST_KEY }',
        '',
      ].join('\n'),
    );
    const env = { CLI_SUPPORT_TEST_KEY: 'cli-support-test-key-0123456789' };
    agent = spawnAgent(['run', '--config', config, '--data-dir', dataDir], env);
    await agent.waitForOutput(/running \(pid/);
    const d = ['--data-dir', dataDir];

    writeFileSync(join(inbox, 'bad-1.txt'), 'first refused file\n');
    writeFileSync(join(inbox, 'bad-2.txt'), 'second refused file\n');
    await waitFor(() => outboxCounts(dataDir).dead === 2, 20_000, 'two dead letters');

    // Read-only commands side by side, as several support sessions would.
    const [dead, table, connections, find, missing] = await Promise.all([
      cliJson<DeadRow[]>(['dlq', 'list', '--json', ...d]),
      runCli(['dlq', 'list', ...d]),
      cliJson<{ id: string; dead: number; pending: number; state: string }[]>([
        'connections',
        'list',
        '--json',
        '--config',
        config,
        ...d,
      ]),
      runCli(['records', 'find', 'bad-1.txt', ...d]),
      runCli(['records', 'find', 'no-such-file.txt', ...d]),
    ]);
    expect(dead.map((r) => r.businessKey).sort()).toEqual(['bad-1.txt', 'bad-2.txt']);
    expect(dead[0]?.reason).toContain('422');
    expect(JSON.stringify(dead)).not.toContain(leakedToken);
    expect(table.output).toMatch(/^ID\s+CONNECTION\s+BUSINESS KEY/m);
    expect(connections).toEqual([
      expect.objectContaining({
        id: 'invoices',
        dead: 2,
        pending: 0,
        state: expect.not.stringMatching(/not running/),
      }),
    ]);
    expect(find.code, find.output).toBe(0);
    expect(find.output).toMatch(/state: dead/);
    expect(find.output).toMatch(/captured[\s\S]*queued[\s\S]*dead/);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('no record with business key or idempotency key "no-such-file.txt"');

    rejecting = false;
    const replayId = dead.find((r) => r.businessKey === 'bad-1.txt')?.id;
    const discardId = dead.find((r) => r.businessKey === 'bad-2.txt')?.id;
    const [replay, unconfirmed] = await Promise.all([
      runCli(['dlq', 'replay', String(replayId), ...d]),
      runCli(['dlq', 'discard', String(discardId), ...d]),
    ]);
    expect(replay.code, replay.output).toBe(0);
    expect(replay.output).toContain(`Replayed 1 dead letter: ${replayId}`);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.output).toContain('add --yes to confirm');
    await waitFor(
      () => ingest!.appliedItems().some((item) => item.body.toString().includes('first refused file')),
      15_000,
      'the replayed record applied',
    );
    await waitFor(() => outboxCounts(dataDir).pending === 0, 10_000, 'the replayed record settled');

    const [replayed, discard] = await Promise.all([
      cliJson<{ record: { state: string }; events: { kind: string; detail: unknown }[] }[]>([
        'records',
        'find',
        'bad-1.txt',
        '--json',
        ...d,
      ]),
      runCli(['dlq', 'discard', String(discardId), '--yes', ...d]),
    ]);
    expect(replayed[0]?.record.state).toBe('delivered');
    expect(replayed[0]?.events).toContainEqual(
      expect.objectContaining({ kind: 'replayed', detail: { actor: `cli:${userInfo().username}` } }),
    );
    expect(discard.code, discard.output).toBe(0);
    expect(discard.output).toContain(`Discarded 1 dead letter: ${discardId}`);
    expect(outboxCounts(dataDir).dead).toBe(0);

    const zip = join(dir, 'support.zip');
    const [preview, written] = await Promise.all([
      runCli(['diagnostics', '--preview', '--config', config, ...d], env),
      runCli(['diagnostics', '--out', zip, '--config', config, ...d], env),
    ]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.output).toMatch(/summary\.txt\s+\d+ bytes/);
    expect(preview.output).toContain('outbox/dead-letters.json');
    expect(preview.output).not.toContain(leakedToken);
    expect(written.code, written.output).toBe(0);
    expect(existsSync(zip)).toBe(true);
    expect(statSync(zip).mode & 0o777).toBe(0o600);
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' });
    expect(listing).toContain('manifest.json');
    expect(execFileSync('unzip', ['-p', zip], { encoding: 'utf8' })).not.toContain(leakedToken);
    expect(agent.output()).not.toMatch(/already running|lock/i); // the CLI never disturbed the agent
  }, 90_000);
});
