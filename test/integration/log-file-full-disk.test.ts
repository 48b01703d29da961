// A log file on a full disk: writing fails without ending the process, status says so, and logging resumes with room.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logFileNotice, logFileTrouble } from '../../main/observability/log-file-health.js';
import { RollingFile } from '../../main/observability/rolling-file.js';
import { waitFor } from '../support/agent-process.js';
import { useSmallDisk } from '../support/small-disk.js';

const disk = useSmallDisk({ size: '256k' });

/** Everything the logger wrote so far (it numbers its files agent.1.log, agent.2.log…). */
function written(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('');
}

describe('log file on a full disk', () => {
  it('keeps running, reports ENOSPC with the fix, and writes again (with a count) once there is room', async () => {
    const logs = join(disk(), 'logs');
    const file = join(logs, 'agent.log');
    const log = new RollingFile({ file, maxFileBytes: 10 * 1024 * 1024, maxFiles: 2 });
    const line = (n: number) => `${JSON.stringify({ level: 30, msg: `line ${n}`, pad: 'x'.repeat(200) })}\n`;
    log.write(line(0));
    await waitFor(() => written(logs).includes('line 0'), 5000, 'the first line on disk');
    const filler = join(disk(), 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(1024 * 1024)); // more than the disk holds
    } catch {
      // ENOSPC: the disk is full now, which is the point
    }
    for (let n = 1; n <= 200; n += 1) log.write(line(n));
    await waitFor(() => logFileTrouble()?.reason === 'ENOSPC', 5000, 'the write failure to be noted');
    expect(logFileNotice()).toMatch(
      /cannot be written to .*agent.*\.log \(the disk is full\).*Fix: free space/,
    );

    rmSync(filler, { force: true });
    log.write(line(201));
    await waitFor(() => logFileTrouble() === undefined, 5000, 'writing to work again');
    await waitFor(() => written(logs).includes('line 201'), 5000, 'the held lines on disk');
    const text = written(logs);
    expect(text).toContain('the log file could not be written');
    log.end();
  });
});
