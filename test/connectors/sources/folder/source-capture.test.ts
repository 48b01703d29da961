// Folder source capture on real folders: quiet period, content versions, several folders, filters, catch-up, status.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentHash, fileVersionKey } from '../../../../connectors/sources/folder/file-version.js';
import { waitFor } from '../../../support/agent-process.js';
import { bodies, sleep, useFolderHarness } from './harness.js';

const h = useFolderHarness('folder-capture-');

describe('folder source: capture', () => {
  it('captures a finished file once; the same bytes again are not sent, new bytes are a new version', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 100 });
    h.write(join(inbox, 'a.csv'), 'id\n1\n');
    await run.waitForEmitted(1);
    const [first] = run.emitted;
    expect(first?.idempotencyKey).toBe(fileVersionKey('a.csv', contentHash(Buffer.from('id\n1\n'))));
    expect(first?.orderingKey).toBe('a.csv');
    expect(first?.contentType).toBe('text/csv');
    expect(first?.origin).toEqual({ file: 'a.csv', size: 5, sha256: contentHash(Buffer.from('id\n1\n')) });

    h.write(join(inbox, 'a.csv'), 'id\n1\n'); // rewritten, same bytes
    h.write(join(inbox, 'b.csv'), 'id\n2\n'); // a marker that the source looked again
    await run.waitForEmitted(2);
    await sleep(300);
    expect(bodies(run.emitted)).toEqual(['id\n1\n', 'id\n2\n']);

    h.write(join(inbox, 'a.csv'), 'id\n1\n3\n');
    await run.waitForEmitted(3);
    expect(run.emitted[2]?.idempotencyKey).toBe(
      fileVersionKey('a.csv', contentHash(Buffer.from('id\n1\n3\n'))),
    );
  });

  it('stores files found together in one outbox transaction, each with its own checkpoint', async () => {
    const inbox = h.folder('in');
    for (let i = 0; i < 40; i += 1) h.write(join(inbox, `f${i}.txt`), `file ${i}`, 60_000);
    const batches: number[] = [];
    const run = await h.start({ path: inbox, quietPeriodMs: 200 });
    run.afterEmit = (batch) => batches.push(batch.changes.length);
    await run.waitForEmitted(40);
    expect(batches.length).toBeLessThan(40);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(40);
    for (let i = 0; i < 40; i += 1) {
      const state = JSON.parse(run.checkpoint(`file:f${i}.txt`) ?? '{}') as { hash?: string };
      expect(state.hash).toBe(contentHash(Buffer.from(`file ${i}`)));
    }
    expect(new Set(run.emitted.map((c) => c.idempotencyKey)).size).toBe(40);
  });

  it('waits for the quiet period while a file is still being written', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 400 });
    const file = join(inbox, 'slow.txt');
    h.write(file, 'part 1');
    for (let i = 2; i <= 4; i += 1) {
      await sleep(150);
      h.write(file, `part ${i}`);
    }
    await run.waitForEmitted(1);
    expect(bodies(run.emitted)).toEqual(['part 4']);
  });

  it('keeps files of several folders apart, even with the same name', async () => {
    const main = h.folder('main');
    const extra = h.folder('extra');
    const run = await h.start({ path: main, paths: [extra], quietPeriodMs: 50 });
    h.write(join(main, 'same.txt'), 'from main');
    h.write(join(extra, 'same.txt'), 'from extra');
    await run.waitForEmitted(2);
    const byBody = new Map(run.emitted.map((c) => [c.payload.toString(), c]));
    expect(byBody.get('from main')?.orderingKey).toBe('same.txt');
    expect(byBody.get('from extra')?.orderingKey).toBe(`${extra}/same.txt`);
    expect(run.checkpoint(`file:${extra}/same.txt`)).toBeDefined();
  });

  it('honours include, exclude and recursive: false', async () => {
    const inbox = h.folder('in');
    mkdirSync(join(inbox, 'sub'));
    mkdirSync(join(inbox, 'tmp'));
    const run = await h.start({
      path: inbox,
      include: ['**/*.csv'],
      exclude: ['tmp/**', '**/*.partial.csv'],
      quietPeriodMs: 50,
    });
    h.write(join(inbox, 'keep.csv'), 'keep');
    h.write(join(inbox, 'note.txt'), 'not included');
    h.write(join(inbox, 'x.partial.csv'), 'excluded');
    h.write(join(inbox, 'tmp', 'y.csv'), 'excluded folder');
    h.write(join(inbox, 'sub', 'deep.csv'), 'deep');
    await run.waitForEmitted(2);
    await sleep(300);
    expect(bodies(run.emitted).sort()).toEqual(['deep', 'keep']);

    const flat = h.folder('flat');
    mkdirSync(join(flat, 'sub'));
    const flatRun = await h.start({ path: flat, recursive: false, quietPeriodMs: 50 });
    h.write(join(flat, 'sub', 'deep.txt'), 'deep');
    h.write(join(flat, 'top.txt'), 'top');
    await flatRun.waitForEmitted(1);
    await flatRun.source.rescanNow();
    await sleep(300);
    expect(bodies(flatRun.emitted)).toEqual(['top']);
  });

  it('does not capture a file before it is minFileAgeMs old', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 0, minFileAgeMs: 700 });
    const written = Date.now();
    h.write(join(inbox, 'young.txt'), 'young');
    h.write(join(inbox, 'old.txt'), 'old', 10_000);
    await run.waitForEmitted(1);
    expect(bodies(run.emitted)).toEqual(['old']);
    await run.waitForEmitted(2);
    expect(Date.now() - written).toBeGreaterThanOrEqual(650);
    expect(bodies(run.emitted)).toEqual(['old', 'young']);
  });

  it('catches up at start: files added or changed while it was stopped, not the unchanged ones', async () => {
    const inbox = h.folder('in');
    let run = await h.start({ path: inbox, quietPeriodMs: 50 });
    h.write(join(inbox, 'same.txt'), 'same');
    h.write(join(inbox, 'changed.txt'), 'v1');
    await run.waitForEmitted(2);
    await h.stop(run);

    h.write(join(inbox, 'changed.txt'), 'v2 (longer)');
    h.write(join(inbox, 'new.txt'), 'new');
    run = await h.start({ path: inbox, quietPeriodMs: 50 });
    await run.waitForEmitted(2);
    await sleep(300);
    expect(bodies(run.emitted).sort()).toEqual(['new', 'v2 (longer)']);
  });

  it('reports mode, guarantee, lag and last capture time', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 600 });
    expect(run.health()).toMatchObject({
      state: 'running',
      mode: 'whole file, quiet period 600 ms',
      lagMs: 0,
    });
    expect(run.health().guarantee).toContain('once per distinct content (SHA-256)');
    expect(run.health().guarantee).toContain('a full rescan every 5 min');
    expect(run.health().lastCaptureAt).toBeUndefined();

    h.write(join(inbox, 'a.txt'), 'a');
    await waitFor(() => (run.health().lagMs ?? 0) >= 300, 2000, 'lag while the file waits');
    const before = Date.now();
    await run.waitForEmitted(1);
    await waitFor(() => run.health().lagMs === 0, 2000, 'lag back to 0');
    expect(run.health().lastCaptureAt).toBeGreaterThanOrEqual(before - 1000);
  });

  it('counts the files seen but not captured yet as waiting, and none once they are captured', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 600 });
    expect(run.health().waiting).toBeUndefined();
    for (const name of ['a.txt', 'b.txt', 'c.txt']) h.write(join(inbox, name), name);
    await waitFor(() => run.health().waiting?.count === 3, 5000, 'three files waiting');
    expect(run.health().waiting).toEqual({ count: 3, unit: 'file' });
    await run.waitForEmitted(3);
    await waitFor(() => run.health().waiting === undefined, 5000, 'nothing waiting after capture');
  });

  it('does not capture while paused and catches up on resume', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 50 });
    run.source.pause('outbox is over its cap');
    expect(run.health()).toMatchObject({ state: 'paused', detail: 'outbox is over its cap' });
    h.write(join(inbox, 'a.txt'), 'a');
    await sleep(400);
    expect(run.emitted).toHaveLength(0);
    run.source.resume();
    await run.waitForEmitted(1);
    expect(run.health().state).toBe('running');
  });

  it('keeps a file queued while the outbox refuses it, shows why, and captures it once the outbox takes it', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 50 });
    run.failEmits(new Error('database or disk is full'));
    h.write(join(inbox, 'a.txt'), 'a');
    await waitFor(() => run.health().state === 'degraded', 3000, 'degraded');
    expect(run.health().detail).toContain('database or disk is full');
    run.failEmits(undefined);
    await run.waitForEmitted(1);
    await waitFor(() => run.health().state === 'running', 3000, 'running again');
  });

  it('fails with a fix when the folder is missing, and starts watching once it exists', async () => {
    const inbox = h.dir('later');
    const run = await h.start({ path: inbox, quietPeriodMs: 50, rescanIntervalMs: 200 });
    expect(run.health().state).toBe('failed');
    expect(run.health().detail).toContain(`cannot watch ${inbox}: it does not exist. Fix: create the folder`);
    mkdirSync(inbox);
    await waitFor(() => run.health().state === 'running', 3000, 'running once the folder exists');
    h.write(join(inbox, 'a.txt'), 'a');
    await run.waitForEmitted(1);
    rmSync(inbox, { recursive: true });
  });
});
