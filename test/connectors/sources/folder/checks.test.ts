// "Test connection" of a folder source against real folders: missing, a file instead of a folder, a good folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { checkFolderSource } from '../../../../connectors/sources/folder/checks.js';
import { folderSourceSchema } from '../../../../connectors/sources/folder/config.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'folder-checks-' });

const folderSource = (path: string, paths: string[] = []) =>
  folderSourceSchema.parse({ type: 'folder', path, paths });

it('passes a folder the agent may read', async () => {
  const inbox = join(tempDir(), 'inbox');
  mkdirSync(inbox);
  expect(await checkFolderSource(folderSource(inbox))).toEqual([
    { id: 'source', title: `Folder ${inbox}`, status: 'pass', detail: 'exists and the agent may read it' },
  ]);
});

it('fails a folder that does not exist, saying to create it', async () => {
  const missing = join(tempDir(), 'missing');
  expect(await checkFolderSource(folderSource(missing))).toEqual([
    {
      id: 'source',
      title: `Folder ${missing}`,
      status: 'fail',
      detail: 'does not exist',
      fix: 'create the folder or correct the path',
    },
  ]);
});

it('fails a file given as the folder', async () => {
  const file = join(tempDir(), 'orders.csv');
  writeFileSync(file, 'id\n1\n');
  expect(await checkFolderSource(folderSource(file))).toEqual([
    {
      id: 'source',
      title: `Folder ${file}`,
      status: 'fail',
      detail: 'exists but is not a folder',
      fix: 'point the source at a folder',
    },
  ]);
});

it('checks path and every one of paths, in that order', async () => {
  const first = join(tempDir(), 'a');
  const second = join(tempDir(), 'b');
  mkdirSync(first);
  const checks = await checkFolderSource(folderSource(first, [second]));
  expect(checks.map((check) => [check.title, check.status])).toEqual([
    [`Folder ${first}`, 'pass'],
    [`Folder ${second}`, 'fail'],
  ]);
});
