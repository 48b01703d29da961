// `integration-agent … | head`: when the reader closes the pipe early, the CLI stops quietly with exit 0.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('CLI output into a pipe that closes early', () => {
  it('exits 0 without an EPIPE stack trace when the reader has gone away', async () => {
    // The reader is gone before the CLI writes anything, so its first write fails with EPIPE.
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', 'config', 'print-schema'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
