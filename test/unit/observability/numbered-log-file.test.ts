import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openNumberedLog } from '../../../main/observability/numbered-log-file.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir({ prefix: 'numbered-log-' });

const options = (file: string) => ({
  file,
  maxFileBytes: 1000,
  maxFiles: 2,
  mode: 0o600,
  maxLength: 1 << 20,
});

const ended = (stream: { end(): void; once(event: 'close', listener: () => void): unknown }) =>
  new Promise<void>((resolve) => {
    stream.once('close', resolve);
    stream.end();
  });

describe('numbered log files', () => {
  it('appends to the newest numbered file, moves on past the size, and keeps maxFiles besides the active one', async () => {
    const logs = join(dir(), 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'agent.7.log'), 'from the last run\n');
    writeFileSync(join(logs, 'agent.3.log'), 'older\n');
    writeFileSync(join(logs, 'agent.x.log'), 'not numbered: left alone\n');
    writeFileSync(join(logs, 'other.1.log'), 'another log: left alone\n');
    const stream = await openNumberedLog(options(join(logs, 'agent.log')));
    for (let i = 0; i < 40; i++) {
      stream.write(`${JSON.stringify({ i, filler: 'x'.repeat(180) })}\n`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await ended(stream);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const names = readdirSync(logs).sort();
    const numbered = names.filter((n) => /^agent\.\d+\.log$/.test(n));
    expect(numbered).toHaveLength(3); // the active one and two more
    expect(names).toContain('agent.x.log');
    expect(names).toContain('other.1.log');
    const numbers = numbered.map((n) => Number(/\d+/.exec(n)![0])).sort((a, b) => a - b);
    expect(numbers[0]).toBeGreaterThan(7); // 3 and 7 (with the last run's line) were removed as the oldest
    const text = numbered.map((n) => readFileSync(join(logs, n), 'utf8')).join('');
    expect(text).toContain('"i":39');
    for (const name of numbered) expect(readFileSync(join(logs, name)).length).toBeLessThan(1000 + 5 * 200);
  });

  it('rejects with the reason when the log folder cannot be made', async () => {
    writeFileSync(join(dir(), 'logs'), 'a file where the folder should be');
    await expect(openNumberedLog(options(join(dir(), 'logs', 'agent.log')))).rejects.toThrow(
      /ENOTDIR|EEXIST/,
    );
  });
});
