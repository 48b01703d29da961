// The data directory and every file the agent writes there are private to its account: 0700 and 0600.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostAgent, type HostedAgent } from '../../main/engine/host.js';
import { waitFor } from '../support/agent-process.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'private-files-' });
let agent: HostedAgent | undefined;

afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('file modes of the data directory', () => {
  it('creates the data dir 0700 and the outbox, its WAL, status, lock and logs 0600, whatever the umask', async () => {
    const dataDir = join(tempDir(), 'agent-data');
    const previous = process.umask(0o022);
    try {
      agent = await hostAgent({ dataDir, logLevel: 'info' });
      await waitFor(
        () => readdirSync(join(dataDir, 'logs')).some((name) => name.endsWith('.log')),
        10_000,
        'a log file',
      );
    } finally {
      process.umask(previous);
    }
    expect(modeOf(dataDir)).toBe(0o700);
    const files = ['outbox.db', 'outbox.db-wal', 'status.json'].map((name) => join(dataDir, name));
    const logs = readdirSync(join(dataDir, 'logs')).map((name) => join(dataDir, 'logs', name));
    for (const file of [...files, ...logs, join(dataDir, 'agent.pid')])
      expect([file, modeOf(file)]).toEqual([file, 0o600]);
  });
});
