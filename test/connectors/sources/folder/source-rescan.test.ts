// Periodic rescan (events the watcher missed), the inotify-limit fallback to polling, and delete records.
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { watch, type ChokidarOptions } from 'chokidar';
import { describe, expect, it } from 'vitest';
import {
  contentHash,
  deleteRecordKey,
  fileVersionKey,
  parseFileState,
} from '../../../../connectors/sources/folder/file-version.js';
import type { WatcherFactory } from '../../../../connectors/sources/folder/folder-watcher.js';
import { waitFor } from '../../../support/agent-process.js';
import { bodies, sleep, useFolderHarness } from './harness.js';

const h = useFolderHarness('folder-rescan-');
const hour = 3_600_000;

/** A watcher that sees nothing below its folder: only a rescan can find files. */
const blindWatcher: WatcherFactory = (dir, options) =>
  watch(dir, { ...options, ignored: (path: string) => path !== dir });

describe('folder source: periodic rescan', () => {
  it('finds a file the watcher missed only when a rescan runs', async () => {
    const inbox = h.folder('in');
    const run = await h.start(
      { path: inbox, quietPeriodMs: 50, rescanIntervalMs: hour },
      { watcherFactory: blindWatcher },
    );
    h.write(join(inbox, 'missed.txt'), 'missed');
    await sleep(600); // ten quiet periods: a watcher that saw it would have captured it by now
    expect(run.emitted).toHaveLength(0);
    await run.source.rescanNow();
    await run.waitForEmitted(1);
    expect(bodies(run.emitted)).toEqual(['missed']);
  });

  it('runs the rescan every rescanIntervalMs by itself', async () => {
    const inbox = h.folder('in');
    const run = await h.start(
      { path: inbox, quietPeriodMs: 50, rescanIntervalMs: 300 },
      { watcherFactory: blindWatcher },
    );
    expect(run.health().guarantee).toContain('a full rescan every 300 ms');
    h.write(join(inbox, 'missed.txt'), 'missed');
    await run.waitForEmitted(1);
  });
});

describe('folder source: OS watch limit', () => {
  it('falls back to polling with a message naming fs.inotify.max_user_watches and how to raise it', async () => {
    const inbox = h.folder('in');
    const made: ChokidarOptions[] = [];
    const inotifyFull: WatcherFactory = (dir, options) => {
      made.push(options);
      const watcher = watch(dir, options);
      if (!options.usePolling) {
        const error = Object.assign(
          new Error(`ENOSPC: System limit for number of file watchers reached, watch '${dir}'`),
          {
            code: 'ENOSPC',
          },
        );
        watcher.once('ready', () => watcher.emit('error', error));
      }
      return watcher;
    };
    const run = await h.start(
      { path: inbox, quietPeriodMs: 50, rescanIntervalMs: hour },
      { watcherFactory: inotifyFull, watcherPollMs: 100 },
    );
    await waitFor(() => run.health().state === 'degraded', 3000, 'degraded after ENOSPC');
    const detail = run.health().detail ?? '';
    expect(detail).toContain('fs.inotify.max_user_watches');
    expect(detail).toContain('sudo sysctl fs.inotify.max_user_watches=524288');
    expect(detail).toContain('/etc/sysctl.d/');
    expect(made.map((o) => o.usePolling)).toEqual([false, true]);

    h.write(join(inbox, 'polled.txt'), 'polled'); // no rescan is due for an hour: only the polling watcher sees it
    await run.waitForEmitted(1);
    expect(bodies(run.emitted)).toEqual(['polled']);
  });
});

describe('folder source: deletions', () => {
  it('emits a delete record with a deterministic key and keeps a re-created file apart', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 50, emitDeletes: true });
    expect(run.health().guarantee).toContain('is sent as a delete record');
    const file = join(inbox, 'a.txt');
    const hash = contentHash(Buffer.from('a'));
    h.write(file, 'a');
    await run.waitForEmitted(1);
    rmSync(file);
    await run.waitForEmitted(2);
    const deletion = run.emitted[1];
    expect(deletion?.idempotencyKey).toBe(deleteRecordKey('a.txt', hash, 0));
    expect(deletion?.orderingKey).toBe('a.txt');
    expect(deletion?.contentType).toBe('application/json');
    expect(JSON.parse(deletion?.payload.toString() ?? '')).toEqual({
      op: 'delete',
      path: 'a.txt',
      lastSha256: hash,
    });
    expect(parseFileState(run.checkpoint('file:a.txt'))).toMatchObject({ hash, deleted: true });

    h.write(file, 'a'); // the same bytes again, after a delete: the server must hear about it
    await run.waitForEmitted(3);
    expect(run.emitted[2]?.idempotencyKey).toBe(fileVersionKey('a.txt', hash, 1));
    expect(run.emitted[2]?.idempotencyKey).not.toBe(run.emitted[0]?.idempotencyKey);
    expect(parseFileState(run.checkpoint('file:a.txt'))).toEqual({
      hash,
      size: 1,
      mtimeMs: expect.any(Number),
      generation: 1,
    });
  });

  it('sends nothing for a deletion by default', async () => {
    const inbox = h.folder('in');
    const run = await h.start({ path: inbox, quietPeriodMs: 50 });
    h.write(join(inbox, 'a.txt'), 'a');
    await run.waitForEmitted(1);
    rmSync(join(inbox, 'a.txt'));
    await sleep(400);
    await run.source.rescanNow();
    await sleep(200);
    expect(run.emitted).toHaveLength(1);
  });

  it('finds deletions made while it was stopped, but never reads an unavailable folder as all files deleted', async () => {
    const inbox = h.folder('in');
    let run = await h.start({ path: inbox, quietPeriodMs: 50, emitDeletes: true });
    h.write(join(inbox, 'gone.txt'), 'gone');
    h.write(join(inbox, 'stays.txt'), 'stays');
    await run.waitForEmitted(2);
    await h.stop(run);

    rmSync(join(inbox, 'gone.txt'));
    run = await h.start({ path: inbox, quietPeriodMs: 50, emitDeletes: true });
    await run.waitForEmitted(1);
    expect(JSON.parse(run.emitted[0]?.payload.toString() ?? '')).toMatchObject({
      op: 'delete',
      path: 'gone.txt',
    });
    await h.stop(run);

    renameSync(inbox, h.dir('unmounted'));
    run = await h.start({ path: inbox, quietPeriodMs: 50, emitDeletes: true });
    expect(run.health().state).toBe('failed');
    await sleep(300);
    expect(run.emitted).toHaveLength(0);
  });

  it('finds a deletion the watcher missed at the next rescan', async () => {
    const inbox = h.folder('in');
    h.write(join(inbox, 'a.txt'), 'a', 5000);
    const run = await h.start(
      { path: inbox, quietPeriodMs: 50, emitDeletes: true, rescanIntervalMs: hour },
      { watcherFactory: blindWatcher },
    );
    await run.waitForEmitted(1); // caught up at start
    rmSync(join(inbox, 'a.txt'));
    await sleep(300);
    expect(run.emitted).toHaveLength(1);
    await run.source.rescanNow();
    await run.waitForEmitted(2);
    expect(JSON.parse(run.emitted[1]?.payload.toString() ?? '')).toMatchObject({ op: 'delete' });
  });
});
