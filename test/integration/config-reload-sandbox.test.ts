// `config reload` against an agent running without a config file (the sandbox): it says there is nothing to reload and keeps running.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, spawnAgent, type AgentProcess } from '../support/agent-process.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'config-reload-sandbox-' });
let agent: AgentProcess | undefined;

afterEach(async () => {
  agent?.kill('SIGTERM');
  await agent?.exited;
  agent = undefined;
});

describe('config reload on a sandbox agent', () => {
  it('does not stop the agent: it answers that there is no config file to reload, and the command exits non-zero', async () => {
    const dataDir = join(tempDir(), 'data');
    agent = spawnAgent(['run', '--data-dir', dataDir]);
    await agent.waitForOutput(/running \(pid/);
    const reload = await runCli(['config', 'reload', '--data-dir', dataDir]);
    expect(reload.output).toContain('nothing to reload: the agent');
    expect(reload.output).toContain('runs without a config file (the sandbox)');
    expect(reload.code).toBe(1);
    await agent.waitForOutput(/nothing to reload, this agent runs without a config file/);
    const status = await runCli(['status', '--data-dir', dataDir]);
    expect(status.code).toBe(0);
    expect(agent.child.exitCode).toBeNull();
  });
});
