// FolderWatcher: a full inotify table (ENOSPC) or file table (EMFILE) switches to polling; other errors restart it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watch } from 'chokidar';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultWatcher,
  FolderWatcher,
  watchLimitMessage,
  type WatcherFactory,
} from '../../../../connectors/sources/folder/folder-watcher.js';
import { waitFor } from '../../../support/agent-process.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'folder-watcher-' });
const open: FolderWatcher[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
});

/** Real chokidar; the native (non-polling) watcher fails with `code` once it is ready. */
const failingWith =
  (code: string): WatcherFactory =>
  (dir, options) => {
    const watcher = watch(dir, options);
    if (!options.usePolling)
      watcher.once('ready', () =>
        watcher.emit('error', Object.assign(new Error(`${code}: failed`), { code })),
      );
    return watcher;
  };

/** Real chokidar; the first `times` watchers made (polling or not) fail with `code` once they are ready. */
const failingFirst = (code: string, times: number): WatcherFactory => {
  let made = 0;
  return (dir, options) => {
    const watcher = watch(dir, options);
    made += 1;
    if (made <= times)
      watcher.once('ready', () =>
        watcher.emit('error', Object.assign(new Error(`${code}: failed`), { code })),
      );
    return watcher;
  };
};

async function start(factory: WatcherFactory, notAFolder?: (path: string) => boolean) {
  const dir = tempDir();
  const seen: string[] = [];
  const fallbacks: string[] = [];
  const errors: string[] = [];
  const restarts: number[] = [];
  const watcher = await FolderWatcher.start(dir, {
    recursive: true,
    ignored: () => false,
    ...(notAFolder ? { notAFolder } : {}),
    pollIntervalMs: 50,
    factory,
    onPath: (p) => seen.push(p),
    onFallback: (m) => fallbacks.push(m),
    onError: (e) => errors.push(e.message),
    onRestarted: () => restarts.push(Date.now()),
    restartMs: 50,
  });
  open.push(watcher);
  return { dir, watcher, seen, fallbacks, errors, restarts };
}

describe('FolderWatcher', () => {
  it('switches to polling on ENOSPC and keeps reporting files', async () => {
    const w = await start(failingWith('ENOSPC'));
    await waitFor(() => w.fallbacks.length === 1, 3000, 'fallback');
    expect(w.watcher.polling).toBe(true);
    expect(w.fallbacks[0]).toBe(watchLimitMessage(w.dir, 'ENOSPC'));
    writeFileSync(join(w.dir, 'a.txt'), 'a');
    await waitFor(() => w.seen.includes(join(w.dir, 'a.txt')), 3000, 'event from the polling watcher');
    expect(w.errors).toEqual([]);
  });

  it('names the open-file limit on EMFILE', async () => {
    const w = await start(failingWith('EMFILE'));
    await waitFor(() => w.fallbacks.length === 1, 3000, 'fallback');
    expect(w.fallbacks[0]).toContain('too many open files (EMFILE)');
    expect(w.fallbacks[0]).toContain('LimitNOFILE');
  });

  it('reports other errors without switching, then restarts the watcher, which sees files again', async () => {
    const w = await start(failingFirst('EIO', 1));
    await waitFor(() => w.errors.length === 1, 3000, 'error');
    await waitFor(() => w.restarts.length === 1, 3000, 'restart');
    expect(w.watcher.polling).toBe(false);
    expect(w.fallbacks).toEqual([]);
    writeFileSync(join(w.dir, 'b.txt'), 'b');
    await waitFor(() => w.seen.includes(join(w.dir, 'b.txt')), 3000, 'event from the restarted watcher');
  });

  it('EMFILE again while polling: restarts the polling watcher instead of dying for good', async () => {
    const w = await start(failingFirst('EMFILE', 2)); // the native watcher, then the first polling one
    await waitFor(() => w.restarts.length === 1, 5000, 'restart of the polling watcher');
    expect(w.watcher.polling).toBe(true);
    expect(w.errors).toEqual(['EMFILE: failed']);
    writeFileSync(join(w.dir, 'c.txt'), 'c');
    await waitFor(() => w.seen.includes(join(w.dir, 'c.txt')), 3000, 'event from the restarted watcher');
  });

  it('the default watcher reports files in the folder and in subfolders made later, with no re-listing', async () => {
    const w = await start(defaultWatcher);
    writeFileSync(join(w.dir, 'top.txt'), 'top');
    mkdirSync(join(w.dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(w.dir, 'sub', 'deeper', 'inner.txt'), 'inner'); // may predate the subfolder's watch
    await waitFor(() => w.seen.includes(join(w.dir, 'top.txt')), 3000, 'top-level file');
    await waitFor(
      () => w.seen.includes(join(w.dir, 'sub', 'deeper', 'inner.txt')),
      3000,
      'file in a new subfolder',
    );
    writeFileSync(join(w.dir, 'sub', 'deeper', 'later.txt'), 'later');
    await waitFor(() => w.seen.includes(join(w.dir, 'sub', 'deeper', 'later.txt')), 3000, 'later file');
  });

  it('a path that is a file, then removed and made a folder in one burst, is watched as the folder it ends as', async () => {
    const w = await start(defaultWatcher);
    const path = join(w.dir, 'swap');
    for (let i = 0; i < 5; i++) {
      writeFileSync(path, 'file');
      rmSync(path);
    }
    mkdirSync(path);
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(join(path, 'inside.txt'), 'inside');
    await waitFor(() => w.seen.includes(join(path, 'inside.txt')), 3000, 'file in the folder made last');
  });

  it('reports a path said to be no folder, but does not look at it: a folder made there is not watched', async () => {
    const w = await start(defaultWatcher, (path) => path.endsWith('.claim'));
    mkdirSync(join(w.dir, 'a.claim'));
    mkdirSync(join(w.dir, 'looked-at'));
    await waitFor(() => w.seen.includes(join(w.dir, 'a.claim')), 3000, 'the event for the path');
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(join(w.dir, 'a.claim', 'inside.txt'), 'x');
    writeFileSync(join(w.dir, 'looked-at', 'inside.txt'), 'x');
    await waitFor(
      () => w.seen.includes(join(w.dir, 'looked-at', 'inside.txt')),
      3000,
      'file in the folder looked at',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(w.seen).not.toContain(join(w.dir, 'a.claim', 'inside.txt'));
  });

  it('names the inotify limit, the command and the sysctl.d file', () => {
    const message = watchLimitMessage('/srv/in', 'ENOSPC');
    expect(message).toContain('fs.inotify.max_user_watches');
    expect(message).toContain('sudo sysctl fs.inotify.max_user_watches=524288');
    expect(message).toContain('/etc/sysctl.d/60-inotify.conf');
  });
});
