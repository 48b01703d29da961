// `config reload` against a real agent process: it prints the agent's answer (applied with the rebuilt connections, or refused with the reason) and exits 2 (invalid config) on a refusal.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentStatus } from '../../preload/contract/status.js';
import { statusFile } from '../../main/shared/data-dir.js';
import { runCli, spawnAgent, waitFor, type AgentProcess } from '../support/agent-process.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'config-reload-answer-' });
let agent: AgentProcess | undefined;

afterEach(async () => {
  agent?.kill('SIGTERM');
  await agent?.exited;
  agent = undefined;
});

const folderToHttp = (id: string, inbox: string) => [
  `  - id: ${id}`,
  `    source: { type: folder, path: ${JSON.stringify(inbox)} }`,
  `    destination: { type: http, url: "http://127.0.0.1:9/ingest/${id}" }`,
];

function configText(connections: string[]): string {
  return [
    'configVersion: 1',
    'outbox: { minFreeDiskBytes: 0 }',
    'console: { enabled: false }',
    'connections:',
    ...connections,
    '',
  ].join('\n');
}

function readStatus(dataDir: string): AgentStatus | undefined {
  try {
    return JSON.parse(readFileSync(statusFile(dataDir), 'utf8')) as AgentStatus;
  } catch {
    return undefined; // not written yet
  }
}

const connectionIds = (dataDir: string) => readStatus(dataDir)?.connections.map((c) => c.id) ?? [];

/**
 * The agent runs `--config etc/config.yaml`, a symlink to deploy/config.yaml (as deployment tools lay files out). The
 * agent's own watch sees only the symlink's folder, so edits of the target wait for `config reload`: what the reload
 * prints is then its own doing, never a race with the watch.
 */
async function startAgent() {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const inboxA = join(dir, 'a');
  const inboxB = join(dir, 'b');
  for (const d of [join(dir, 'etc'), join(dir, 'deploy'), inboxA, inboxB]) mkdirSync(d);
  const target = join(dir, 'deploy', 'config.yaml');
  const configFile = join(dir, 'etc', 'config.yaml');
  writeFileSync(target, configText(folderToHttp('a', inboxA)));
  symlinkSync(target, configFile);
  agent = spawnAgent(['run', '--config', configFile, '--data-dir', dataDir]);
  await agent.waitForOutput(/running \(pid/);
  await waitFor(() => connectionIds(dataDir).join() === 'a', 10_000, 'connection a in status.json');
  const edit = (connections: string[]) => writeFileSync(target, configText(connections));
  return { dataDir, inboxA, inboxB, edit };
}

describe('config reload on an agent with a config file', () => {
  it('prints the applied change with the rebuilt connection and exits 0; a second reload says unchanged', async () => {
    const { dataDir, inboxA, inboxB, edit } = await startAgent();
    edit([...folderToHttp('a', inboxA), ...folderToHttp('b', inboxB)]);
    expect(connectionIds(dataDir)).toEqual(['a']);

    const reload = await runCli(['config', 'reload', '--data-dir', dataDir]);
    expect(reload.output).toContain('config reload: applied; connections rebuilt: b\n');
    expect(reload.code).toBe(0);
    await waitFor(() => connectionIds(dataDir).join() === 'a,b', 10_000, 'connection b in status.json');

    const again = await runCli(['config', 'reload', '--data-dir', dataDir]);
    expect(again.output).toContain('config reload: unchanged');
    expect(again.code).toBe(0);
  });

  it('prints the refusal with its reason and exits 2 (invalid config); the agent keeps running the previous config', async () => {
    const { dataDir, inboxA, edit } = await startAgent();
    edit([...folderToHttp('a', inboxA), '  - id: broken', '    source: { type: folder }']);

    const reload = await runCli(['config', 'reload', '--data-dir', dataDir]);
    expect(reload.output).toContain('config reload refused: the agent keeps running the previous config.');
    expect(reload.output).toMatch(/connections\[1\]\.source\.path: is required/);
    expect(reload.code).toBe(2); // invalid config, as `config validate` exits for the same file

    const refusal = () =>
      readStatus(dataDir)?.notices.some((n) =>
        n.message.startsWith('The edited config file was not applied'),
      );
    await waitFor(() => refusal() === true, 10_000, 'the refusal notice in status.json');
    expect(connectionIds(dataDir)).toEqual(['a']);
    expect(agent?.child.exitCode).toBeNull();
  });
});
