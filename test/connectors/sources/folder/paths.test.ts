// Folder layout (identities of files in one or several folders) and the file filter (globs, depth, markers, claims).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFilter } from '../../../../connectors/sources/folder/file-filter.js';
import { FolderLayout } from '../../../../connectors/sources/folder/folder-layout.js';

describe('FolderLayout', () => {
  const layout = new FolderLayout('/data/in', ['/data/other', '/data/in/nested', '/data/other']);

  it('identifies files of the main folder by their relative path, of the others by their full path', () => {
    expect(layout.locate('/data/in/sub/a.csv')).toMatchObject({ rel: 'sub/a.csv', identity: 'sub/a.csv' });
    expect(layout.locate('/data/other/a.csv')).toMatchObject({ rel: 'a.csv', identity: '/data/other/a.csv' });
    expect(layout.locate('/elsewhere/a.csv')).toBeUndefined();
  });

  it('drops duplicate folders and picks the deepest folder for nested ones', () => {
    expect(layout.roots.map((r) => r.dir)).toEqual(['/data/in', '/data/other', '/data/in/nested']);
    expect(layout.locate('/data/in/nested/x.txt')).toMatchObject({
      rel: 'x.txt',
      identity: '/data/in/nested/x.txt',
    });
  });

  it('resolves a stored identity back to its file, and not when its folder is no longer configured', () => {
    expect(layout.resolveIdentity('sub/a.csv')?.abs).toBe(join('/data/in', 'sub', 'a.csv'));
    expect(layout.resolveIdentity('/data/other/a.csv')?.abs).toBe('/data/other/a.csv');
    expect(layout.resolveIdentity('/data/removed/a.csv')).toBeUndefined();
  });

  it('resolves relative folder paths', () => {
    expect(new FolderLayout('in', []).roots[0]?.dir).toBe(resolve('in'));
  });
});

describe('FileFilter', () => {
  const base = {
    include: ['**/*.csv'],
    exclude: ['tmp/**', '**/*.part.csv'],
    recursive: true,
    finishedWhen: 'quiet' as const,
    markerSuffix: '.done',
    triggerFile: 'READY',
  };

  it('applies include and exclude globs, and never takes the agent own claim files', () => {
    const filter = new FileFilter(base);
    expect(filter.kind('a.csv')).toBe('candidate');
    expect(filter.kind('sub/a.csv')).toBe('candidate');
    expect(filter.kind('a.txt')).toBe('ignored');
    expect(filter.kind('x.part.csv')).toBe('ignored');
    expect(filter.kind('tmp/a.csv')).toBe('ignored');
    expect(filter.kind('.hidden.csv')).toBe('ignored');
    expect(filter.kind('.a.csv.agent-claim')).toBe('claim');
  });

  it('only looks at the top level when not recursive', () => {
    const filter = new FileFilter({ ...base, recursive: false });
    expect(filter.kind('a.csv')).toBe('candidate');
    expect(filter.kind('sub/a.csv')).toBe('ignored');
    expect(filter.skipsDir('sub', '/in/sub')).toBe(true);
  });

  it('knows marker files in marker mode and trigger files in trigger mode, and only there', () => {
    expect(new FileFilter({ ...base, finishedWhen: 'marker' }).kind('a.csv.done')).toBe('marker');
    expect(new FileFilter({ ...base, include: ['**/*'] }).kind('a.csv.done')).toBe('candidate');
    expect(new FileFilter({ ...base, finishedWhen: 'trigger' }).kind('sub/READY')).toBe('trigger');
    expect(new FileFilter({ ...base, include: ['**/*'] }).kind('sub/READY')).toBe('candidate');
  });

  it('skips excluded folders and the archive folder, also for files below them', () => {
    const filter = new FileFilter({ ...base, exclude: ['tmp'] }, ['/in/archive']);
    expect(filter.skipsDir('tmp', '/in/tmp')).toBe(true);
    expect(filter.skipsDir('archive', '/in/archive')).toBe(true);
    expect(filter.skipsDir('sub', '/in/sub')).toBe(false);
    expect(filter.kind('tmp/a.csv')).toBe('candidate'); // the glob alone does not match the file…
    expect(filter.kindWithin('/in', 'tmp/a.csv')).toBe('ignored'); // …but its folder is skipped
    expect(filter.kindWithin('/in', 'archive/2024/a.csv')).toBe('ignored');
    expect(filter.kindWithin('/in', 'sub/a.csv')).toBe('candidate');
  });
});
