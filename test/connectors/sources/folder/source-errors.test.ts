// Per-file problems (too large, vanished mid-read, a folder where a file was, permission denied, binary junk):
// each is a clear status for that file only, and the rest of the folder keeps flowing.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWholeFile } from '../../../../connectors/sources/folder/file-reader.js';
import type { ReadFile } from '../../../../connectors/sources/folder/capture-host.js';
import { waitFor } from '../../../support/agent-process.js';
import { bodies, sleep, useFolderHarness } from './harness.js';

const h = useFolderHarness('folder-errors-');

/** A reader that does something to one file around the real read. */
function readerWith(
  name: string,
  around: (path: string) => Promise<void> | void,
  when: 'before' | 'after',
): ReadFile {
  return async (path, maxBytes) => {
    if (basename(path) !== name) return readWholeFile(path, maxBytes);
    if (when === 'before') await around(path);
    const read = await readWholeFile(path, maxBytes);
    if (when === 'after') await around(path);
    return read;
  };
}

describe('folder source: per-file problems', () => {
  it('refuses a file over maxFileBytes with a fix, captures the others, and takes it once it is smaller', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 50, maxFileBytes: 10 });
    h.write(join(inbox, 'big.txt'), 'x'.repeat(20));
    h.write(join(inbox, 'small.txt'), 'small');
    await run.waitForEmitted(1);
    await waitFor(() => run.health().state === 'degraded', 3000, 'degraded');
    expect(run.health().detail).toBe(
      '1 file not captured: big.txt: the file is 20 bytes, over the limit of 10 bytes: not captured. ' +
        'Fix: raise maxFileBytes for this source, or have the export split its files',
    );
    expect(run.health().lagMs).toBe(0); // refused until it changes: not "behind"
    await run.source.rescanNow(); // a rescan does not read it again while it is unchanged
    expect(run.source.fileProblems()).toHaveLength(1);

    h.write(join(inbox, 'big.txt'), 'fits now');
    await run.waitForEmitted(2);
    expect(bodies(run.emitted)).toEqual(['small', 'fits now']);
    await waitFor(() => run.health().state === 'running', 3000, 'running again');
  });

  it('does not capture a file that vanished while it was being read, and says so', async () => {
    const inbox = h.folder('in');
    const run = await h.start(
      { path: inbox, quietPeriodMs: 50 },
      { readFile: readerWith('vanish.txt', (path) => rmSync(path), 'after') },
    );
    h.write(join(inbox, 'vanish.txt'), 'half of it');
    await waitFor(() => run.health().state === 'degraded', 3000, 'degraded');
    expect(run.health().detail).toContain(
      'vanish.txt: the file vanished while it was being read: not captured',
    );
    h.write(join(inbox, 'next.txt'), 'next');
    await run.waitForEmitted(1);
    await sleep(300);
    expect(bodies(run.emitted)).toEqual(['next']);
    await run.source.rescanNow(); // the file is gone for good: nothing left to report
    expect(run.health().state).toBe('running');
  });

  it('reports a folder found where the file was, for that path only', async () => {
    const inbox = h.folder('in');
    const run = await h.start(
      { path: inbox, quietPeriodMs: 50 },
      {
        readFile: readerWith(
          'report.csv',
          (path) => {
            if (existsSync(join(path, '.made-by-test'))) return;
            rmSync(path);
            mkdirSync(path);
            writeFileSync(join(path, '.made-by-test'), '');
          },
          'before',
        ),
      },
    );
    h.write(join(inbox, 'report.csv'), 'r');
    h.write(join(inbox, 'other.csv'), 'o');
    await run.waitForEmitted(1);
    await waitFor(() => run.health().state === 'degraded', 3000, 'degraded');
    expect(run.health().detail).toContain('report.csv: it is a folder or a device, not a regular file');
    expect(bodies(run.emitted)).toEqual(['o']);
  });

  it('retries a file it may not read (permission denied) and counts it as lag until it is captured', async () => {
    // The tests run as root, which ignores permission bits: the reader fails like a real EACCES instead.
    const inbox = h.folder('in');
    let denied = true;
    const run = await h.start(
      { path: inbox, quietPeriodMs: 50 },
      {
        readFile: readerWith(
          'locked.txt',
          (path) => {
            if (denied)
              throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
          },
          'before',
        ),
      },
    );
    h.write(join(inbox, 'locked.txt'), 'locked');
    h.write(join(inbox, 'free.txt'), 'free');
    await run.waitForEmitted(1);
    await waitFor(() => run.health().state === 'degraded', 3000, 'degraded');
    expect(run.health().detail).toContain(
      'locked.txt: cannot read it: permission denied (EACCES). Fix: give the account the agent runs as read access',
    );
    await sleep(200);
    expect(run.health().lagMs).toBeGreaterThanOrEqual(200);
    denied = false;
    await run.waitForEmitted(2, 'the locked file after its retry');
    expect(bodies(run.emitted)).toEqual(['free', 'locked']);
    expect(run.health()).toMatchObject({ state: 'running', lagMs: 0 });
  });

  it('captures binary junk byte for byte (whole-file mode is binary-safe)', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 50 });
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256));
    h.write(join(inbox, 'junk.csv'), junk);
    h.write(join(inbox, 'blob.bin'), junk);
    await run.waitForEmitted(2);
    for (const change of run.emitted) expect(change.payload.equals(junk)).toBe(true);
    expect(run.emitted.map((c) => c.contentType).sort()).toEqual(['application/octet-stream', 'text/csv']);
    expect(run.health().state).toBe('running');
  });
});
