// "Export finished" detection by marker file (x.csv.done) and by trigger file, on real folders.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodies, sleep, useFolderHarness } from './harness.js';

const h = useFolderHarness('folder-finish-');

describe('folder source: finishedWhen marker', () => {
  it('captures x.csv only once x.csv.done is written, and never the marker itself', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, finishedWhen: 'marker', quietPeriodMs: 50 });
    expect(run.health().mode).toBe('whole file, finished when its .done marker file is written');
    h.write(join(inbox, 'x.csv'), 'x');
    h.write(join(inbox, 'other.csv'), 'other');
    await sleep(500);
    expect(run.emitted).toHaveLength(0);
    expect(run.health().lagMs).toBeGreaterThanOrEqual(400);

    h.write(join(inbox, 'x.csv.done'), '');
    await run.waitForEmitted(1);
    await sleep(300);
    expect(bodies(run.emitted)).toEqual(['x']);
  });

  it('ignores a marker older than the file (left over from an earlier export)', async () => {
    const inbox = h.folder('in');
    h.write(join(inbox, 'y.csv.done'), '', 60_000);
    const run = await h.start({ path: inbox, finishedWhen: 'marker', markerSuffix: '.done' });
    h.write(join(inbox, 'y.csv'), 'today');
    await sleep(500);
    expect(run.emitted).toHaveLength(0);
    h.write(join(inbox, 'y.csv.done'), '');
    await run.waitForEmitted(1);
    expect(bodies(run.emitted)).toEqual(['today']);
  });

  it('catches up at start a file whose marker was written while the agent was off', async () => {
    const inbox = h.folder('in');
    h.write(join(inbox, 'z.csv'), 'z', 5000);
    h.write(join(inbox, 'z.csv.done'), '');
    h.write(join(inbox, 'w.csv'), 'no marker yet');
    const run = await h.start({ path: inbox, finishedWhen: 'marker' });
    await run.waitForEmitted(1);
    await sleep(300);
    expect(bodies(run.emitted)).toEqual(['z']);
  });
});

describe('folder source: finishedWhen trigger', () => {
  it('releases every file of a folder written before its trigger file, and not the trigger', async () => {
    const inbox = h.folder('in');
    mkdirSync(join(inbox, 'batch'));
    const run = await h.start({ path: inbox, finishedWhen: 'trigger', triggerFile: 'READY' });
    expect(run.health().mode).toBe('whole file, finished when READY is written in its folder');
    h.write(join(inbox, 'batch', 'a.txt'), 'a', 2000);
    h.write(join(inbox, 'batch', 'b.txt'), 'b', 2000);
    h.write(join(inbox, 'top.txt'), 'top', 2000);
    await sleep(400);
    expect(run.emitted).toHaveLength(0);

    h.write(join(inbox, 'batch', 'READY'), '', 1000);
    await run.waitForEmitted(2);
    h.write(join(inbox, 'batch', 'c.txt'), 'written after the trigger');
    await sleep(700);
    expect(bodies(run.emitted).sort()).toEqual(['a', 'b']); // top.txt has no trigger in its folder, c is newer

    h.write(join(inbox, 'batch', 'READY'), '');
    await run.waitForEmitted(3);
    expect(bodies(run.emitted)[2]).toBe('written after the trigger');
  });
});
