// FolderWatcher: a full inotify table (ENOSPC) or file table (EMFILE) switches to polling; other errors are reported.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watch } from 'chokidar';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FolderWatcher,
  watchLimitMessage,
  type WatcherFactory,
} from '../../../connectors/sources/folder/folder-watcher.js';
import { waitFor } from '../../support/agent-process.js';
import { useTempDir } from '../../support/temp-dir.js';

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

async function start(factory: WatcherFactory) {
  const dir = tempDir();
  const seen: string[] = [];
  const fallbacks: string[] = [];
  const errors: string[] = [];
  const watcher = await FolderWatcher.start(dir, {
    recursive: true,
    ignored: () => false,
    pollIntervalMs: 50,
    factory,
    onPath: (p) => seen.push(p),
    onFallback: (m) => fallbacks.push(m),
    onError: (e) => errors.push(e.message),
  });
  open.push(watcher);
  return { dir, watcher, seen, fallbacks, errors };
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

  it('reports other errors without switching', async () => {
    const w = await start(failingWith('EIO'));
    await waitFor(() => w.errors.length === 1, 3000, 'error');
    expect(w.watcher.polling).toBe(false);
    expect(w.fallbacks).toEqual([]);
  });

  it('names the inotify limit, the command and the sysctl.d file', () => {
    const message = watchLimitMessage('/srv/in', 'ENOSPC');
    expect(message).toContain('fs.inotify.max_user_watches');
    expect(message).toContain('sudo sysctl fs.inotify.max_user_watches=524288');
    expect(message).toContain('/etc/sysctl.d/60-inotify.conf');
  });
});
