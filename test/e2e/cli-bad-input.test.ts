// The CLI's answers to bad input: each gets a clear message and a documented exit code, and nothing captured is lost.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, spawnAgent, type AgentProcess } from '../support/agent-process.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'cli-' });
const agents: AgentProcess[] = [];

afterEach(async () => {
  for (const a of agents.splice(0)) {
    a.kill('SIGKILL');
    await a.exited;
  }
});

function start(args: string[]): AgentProcess {
  const agent = spawnAgent(args);
  agents.push(agent);
  return agent;
}

describe('integration-agent run on bad input', () => {
  it('refuses a second instance on the same data dir, naming the running one (exit 3)', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = start(['run', '--data-dir', dataDir]);
    await first.waitForOutput(/running \(pid (\d+)\)/);
    const second = await runCli(['run', '--data-dir', dataDir]);
    expect(second.code).toBe(3);
    expect(second.output).toMatch(new RegExp(`Another agent \\(pid ${first.child.pid}`));
    expect(second.output).toContain('--data-dir');
  });

  it('rejects an invalid config with the path, the problem and a fix (exit 2)', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'configVersion: 1\nconnections:\n  - id: a\n    source: { type: folder, path: /tmp }\n    destination: { type: http, url: "not a url" }\n',
    );
    const { code, output } = await runCli(['run', '--config', file, '--data-dir', join(dir, 'data')]);
    expect(code).toBe(2);
    expect(output).toContain('connections[0].destination.url');
    expect(output).toMatch(/Fix:/);
    expect(existsSync(join(dir, 'data'))).toBe(false); // nothing started
  });

  it('rejects an inline password and says how to reference a secret instead (exit 2)', async () => {
    const dir = tempDir();
    const file = join(dir, 'secret.json');
    const config = {
      configVersion: 1,
      connections: [
        {
          id: 'a',
          source: { type: 'folder', path: dir },
          destination: {
            type: 'http',
            url: 'https://example.invalid/x',
            headers: { Authorization: 'Bearer abc123' },
          },
        },
      ],
    };
    writeFileSync(file, JSON.stringify(config));
    const { code, output } = await runCli(['config', 'validate', file]);
    expect(code).toBe(2);
    expect(output).toContain('connections[0].destination.headers.Authorization');
    expect(output).toContain('secretRef');
    expect(output).not.toContain('abc123');
  });

  it('explains a data dir that cannot be created (exit 4)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    const { code, output } = await runCli(['run', '--data-dir', join(dir, 'a-file', 'data')]);
    expect(code).toBe(4);
    expect(output).toMatch(/Cannot create the data directory .*a-file\/data/);
    expect(output).toContain('Fix:');
  });

  it('quarantines an outbox that is not SQLite, starts fresh and says so in status', async () => {
    const dataDir = join(tempDir(), 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'outbox.db'), Buffer.alloc(8192, 'garbage!'));
    const agent = start(['run', '--data-dir', dataDir]);
    await agent.waitForOutput(/running \(pid/);
    const quarantined = readdirSync(dataDir).filter((f) => f.startsWith('outbox.db.corrupt-'));
    expect(quarantined).toHaveLength(1);
    const { code, output } = await runCli(['status', '--data-dir', dataDir, '--json']);
    expect(code).toBe(0);
    const status = JSON.parse(output) as { notices: { level: string; message: string }[] };
    expect(status.notices.some((n) => n.level === 'error' && n.message.includes(quarantined[0]!))).toBe(true);
  });

  it('refuses an outbox written by a newer agent and leaves it untouched (exit 4)', async () => {
    const dataDir = join(tempDir(), 'data');
    mkdirSync(dataDir);
    const db = new Database(join(dataDir, 'outbox.db'));
    db.pragma('user_version = 999');
    db.close();
    const { code, output } = await runCli(['run', '--data-dir', dataDir]);
    expect(code).toBe(4);
    expect(output).toMatch(/schema version 999/);
    expect(readdirSync(dataDir).some((f) => f.includes('corrupt'))).toBe(false);
  });

  it('stops gracefully on SIGTERM and frees the data dir for the next start', async () => {
    const dataDir = join(tempDir(), 'data');
    const agent = start(['run', '--data-dir', dataDir]);
    await agent.waitForOutput(/running \(pid/);
    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(agent.output()).toContain('stopped cleanly');
    const { code, output } = await runCli(['status', '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(output).toContain('not running');
  });
});
