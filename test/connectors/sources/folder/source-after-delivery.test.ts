// After-delivery actions through the source's delivered() hook: archive without overwriting, delete, never before the ack.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CapturedChange } from '../../../../connectors/core/change.js';
import {
  contentHash,
  fileVersionKey,
  parseFileState,
} from '../../../../connectors/sources/folder/file-version.js';
import { waitFor } from '../../../support/agent-process.js';
import { sleep, useFolderHarness, type RunningSource } from './harness.js';

const h = useFolderHarness('folder-after-');

const deliver = (run: RunningSource, ...changes: (CapturedChange | undefined)[]) =>
  run.source.delivered(
    changes.map((c) => ({ idempotencyKey: c?.idempotencyKey ?? '', origin: c?.origin ?? null })),
  );

const gone = (path: string, what = `${path} gone`) => waitFor(() => !existsSync(path), 3000, what);
const appears = (path: string, what = `${path} there`) => waitFor(() => existsSync(path), 10_000, what);

describe('folder source: afterDelivery archive', () => {
  it('moves a file to the archive only once it was delivered, and never captures the archive', async () => {
    const inbox = h.folder('in');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 50,
      emitDeletes: true,
      afterDelivery: 'archive',
      archiveDir: 'archive',
    });
    expect(run.health().guarantee).toContain('moved to archive only after the server confirmed it');
    h.write(join(inbox, 'a.csv'), 'a');
    await run.waitForEmitted(1);
    await sleep(300);
    expect(existsSync(join(inbox, 'a.csv'))).toBe(true); // captured, not yet delivered: untouched

    deliver(run, run.emitted[0]);
    await appears(join(inbox, 'archive', 'a.csv'));
    expect(existsSync(join(inbox, 'a.csv'))).toBe(false);
    expect(readFileSync(join(inbox, 'archive', 'a.csv'), 'utf8')).toBe('a');
    expect(parseFileState(run.checkpoint('file:a.csv'))).toMatchObject({ handled: true });
    await run.source.rescanNow();
    await sleep(300);
    expect(run.emitted).toHaveLength(1); // no delete record for a file we moved, nothing from the archive
  });

  it('never overwrites in the archive: a taken name gets the content hash, then a number', async () => {
    const inbox = h.folder('in');
    const archive = h.folder('archive');
    writeFileSync(join(archive, 'a.csv'), 'older export');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 50,
      afterDelivery: 'archive',
      archiveDir: archive,
    });
    h.write(join(inbox, 'a.csv'), 'new export');
    await run.waitForEmitted(1);
    deliver(run, run.emitted[0]);
    const tag = contentHash(Buffer.from('new export')).slice(0, 12);
    await appears(join(archive, `a-${tag}.csv`));
    expect(readFileSync(join(archive, 'a.csv'), 'utf8')).toBe('older export');
    expect(readFileSync(join(archive, `a-${tag}.csv`), 'utf8')).toBe('new export');

    // The same bytes dropped again: not sent again (already delivered), archived again under a numbered name.
    h.write(join(inbox, 'a.csv'), 'new export');
    await appears(join(archive, `a-${tag}-2.csv`), 're-dropped copy archived');
    expect(existsSync(join(inbox, 'a.csv'))).toBe(false);
    expect(run.emitted).toHaveLength(1);
    expect(readdirSync(archive).sort()).toEqual(['a-' + tag + '-2.csv', `a-${tag}.csv`, 'a.csv'].sort());
  });

  it('leaves a file alone when the delivered version is not what it holds now', async () => {
    const inbox = h.folder('in');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 50,
      afterDelivery: 'archive',
      archiveDir: 'archive',
    });
    h.write(join(inbox, 'a.csv'), 'v1');
    await run.waitForEmitted(1);
    h.write(join(inbox, 'a.csv'), 'v2 (new)');
    await run.waitForEmitted(2);
    deliver(run, run.emitted[0]); // the old version was delivered, the file now holds v2
    await sleep(400);
    expect(readFileSync(join(inbox, 'a.csv'), 'utf8')).toBe('v2 (new)');
    expect(existsSync(join(inbox, 'archive'))).toBe(false);
    deliver(run, run.emitted[1]);
    await appears(join(inbox, 'archive', 'a.csv'));
    expect(readFileSync(join(inbox, 'archive', 'a.csv'), 'utf8')).toBe('v2 (new)');
  });

  it('reports an archive it cannot write to for that file only, puts the file back and retries', async () => {
    const inbox = h.folder('in');
    const archive = h.dir('archive-is-a-file');
    writeFileSync(archive, 'not a folder');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 50,
      afterDelivery: 'archive',
      archiveDir: archive,
    });
    h.write(join(inbox, 'a.csv'), 'a');
    await run.waitForEmitted(1);
    deliver(run, run.emitted[0]);
    await waitFor(() => run.health().state === 'degraded', 15_000, 'archive problem in status');
    expect(run.health().detail).toMatch(/a\.csv: delivered, but it could not be archived: E\w+/);
    expect(run.health().detail).toContain(`Fix: make sure the archive folder (${archive}) is a folder`);
    expect(readFileSync(join(inbox, 'a.csv'), 'utf8')).toBe('a'); // back in place, not lost

    h.write(join(inbox, 'b.csv'), 'b'); // the rest of the folder keeps flowing
    await run.waitForEmitted(2);

    renameSync(archive, `${archive}.old`);
    mkdirSync(archive);
    await appears(join(archive, 'a.csv'), 'archived on retry');
    expect(readFileSync(join(archive, 'a.csv'), 'utf8')).toBe('a');
    await waitFor(() => run.health().state === 'running', 15_000, 'running again');
  });
});

describe('folder source: afterDelivery delete', () => {
  it('deletes the file and its marker once delivered', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, finishedWhen: 'marker', afterDelivery: 'delete' });
    expect(run.health().guarantee).toContain('deleted only after the server confirmed it');
    h.write(join(inbox, 'a.csv'), 'a');
    h.write(join(inbox, 'a.csv.done'), '');
    await run.waitForEmitted(1);
    deliver(run, run.emitted[0]);
    await gone(join(inbox, 'a.csv'));
    await gone(join(inbox, 'a.csv.done'));
    expect(readdirSync(inbox)).toEqual([]);
  });

  it('a file dropped again under the name of one it just deleted is captured, the deleted ones are not watched', async () => {
    const inbox = h.folder('in');
    const run = await h.start({
      path: inbox,
      quietPeriodMs: 100,
      afterDelivery: 'delete',
      emitDeletes: true,
    });
    for (let i = 0; i < 5; i += 1) h.write(join(inbox, `f${i}.json`), `{"v":${i}}`);
    await run.waitForEmitted(5);
    deliver(run, ...run.emitted);
    for (let i = 0; i < 5; i += 1) await gone(join(inbox, `f${i}.json`));
    h.write(join(inbox, 'f0.json'), '{"v":"again"}');
    await run.waitForEmitted(6, 'the re-dropped file captured');
    expect(run.emitted[5]?.payload.toString()).toBe('{"v":"again"}');
    await sleep(300);
    expect(run.health().waiting).toBeUndefined(); // nothing left watching the deleted paths
    expect(run.emitted).toHaveLength(6); // deleting them ourselves makes no delete records
  });

  it('applies actions missed by a restart: delivered versions (engine lookup) and an interrupted claim', async () => {
    const inbox = h.folder('in');
    const config = { path: inbox, quietPeriodMs: 50, afterDelivery: 'delete' };
    let run = await h.start(config);
    h.write(join(inbox, 'a.csv'), 'a');
    h.write(join(inbox, 'b.csv'), 'b');
    await run.waitForEmitted(2);
    await h.stop(run);

    // a.csv was delivered while no hook call reached the source; b.csv was claimed when the agent died.
    renameSync(join(inbox, 'b.csv'), join(inbox, '.b.csv.agent-claim'));
    run = await h.start(config);
    expect(existsSync(join(inbox, 'a.csv'))).toBe(true);
    await gone(join(inbox, '.b.csv.agent-claim'), 'interrupted claim finished');
    run.deliveredKeys.add(fileVersionKey('a.csv', contentHash(Buffer.from('a'))));
    await run.source.rescanNow();
    await gone(join(inbox, 'a.csv'), 'delivered file handled at the rescan');
    expect(run.emitted).toHaveLength(0);
  });
});
