// After-delivery file operations: no-overwrite archive names, claims, deletes, hashing what is on disk.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  archiveCompanion,
  archiveFile,
  archiveRootFor,
  claimPathFor,
  hashFileOnDisk,
  isClaimName,
  originalOfClaim,
  removeFile,
} from '../../../../connectors/sources/folder/file-actions.js';
import { contentHash } from '../../../../connectors/sources/folder/file-version.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'folder-actions-' });
const hash = contentHash(Buffer.from('data'));

describe('archiveFile', () => {
  it('keeps the relative path, then adds the content tag, then a number; never overwrites', async () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    const names: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const src = join(dir, `src-${i}`);
      writeFileSync(src, `copy ${i}`);
      names.push(await archiveFile(src, archive, 'sub/report.csv', hash));
      expect(existsSync(src)).toBe(false);
    }
    const tag = hash.slice(0, 12);
    expect(names).toEqual([
      join(archive, 'sub', 'report.csv'),
      join(archive, 'sub', `report-${tag}.csv`),
      join(archive, 'sub', `report-${tag}-2.csv`),
    ]);
    expect(names.map((n) => readFileSync(n, 'utf8'))).toEqual(['copy 0', 'copy 1', 'copy 2']);
  });

  it('handles names without an extension and dot files', async () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    mkdirSync(archive);
    writeFileSync(join(archive, 'README'), 'old');
    writeFileSync(join(archive, '.env'), 'old');
    writeFileSync(join(dir, 'a'), 'a');
    writeFileSync(join(dir, 'b'), 'b');
    await archiveFile(join(dir, 'a'), archive, 'README', hash);
    await archiveFile(join(dir, 'b'), archive, '.env', hash);
    expect(readdirSync(archive).sort()).toEqual([
      '.env',
      `.env-${hash.slice(0, 12)}`,
      'README',
      `README-${hash.slice(0, 12)}`,
    ]);
  });

  it('moves a marker next to the archived file, or drops it when that name is taken', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv.done'), '');
    await archiveCompanion(join(dir, 'a.csv.done'), join(dir, 'moved.csv.done'));
    expect(readdirSync(dir)).toEqual(['moved.csv.done']);
    writeFileSync(join(dir, 'b.csv.done'), 'new');
    await archiveCompanion(join(dir, 'b.csv.done'), join(dir, 'moved.csv.done'));
    expect(readdirSync(dir)).toEqual(['moved.csv.done']);
    await archiveCompanion(join(dir, 'missing.done'), join(dir, 'x.done')); // nothing to move: fine
  });
});

describe('claims, deletes and hashes', () => {
  it('names a claim as a hidden file next to the original and finds the original back', () => {
    const claim = claimPathFor(join('/in', 'sub', 'a.csv'));
    expect(claim).toBe(join('/in', 'sub', '.a.csv.agent-claim'));
    expect(isClaimName('.a.csv.agent-claim')).toBe(true);
    expect(isClaimName('a.csv.agent-claim')).toBe(false);
    expect(isClaimName('.agent-claim')).toBe(false);
    expect(originalOfClaim(claim)).toBe(join('/in', 'sub', 'a.csv'));
  });

  it('hashes what is on disk, undefined when gone; removing a missing file is fine', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f'), 'data');
    expect(await hashFileOnDisk(join(dir, 'f'))).toBe(hash);
    expect(await hashFileOnDisk(join(dir, 'none'))).toBeUndefined();
    await removeFile(join(dir, 'f'));
    await removeFile(join(dir, 'f'));
    expect(existsSync(join(dir, 'f'))).toBe(false);
  });

  it('hashes an empty file, a small one from one read and a big one streamed, all as their bytes', async () => {
    const dir = tempDir();
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    big.write('start');
    for (const [name, bytes] of [
      ['empty', Buffer.alloc(0)],
      ['small', Buffer.from('x'.repeat(4097))],
      ['big', big],
    ] as const) {
      writeFileSync(join(dir, name), bytes);
      expect(await hashFileOnDisk(join(dir, name))).toBe(contentHash(bytes));
    }
  });

  it('puts a relative archive folder inside each watched folder', () => {
    expect(archiveRootFor('/in', 'archive')).toBe(join('/in', 'archive'));
    expect(archiveRootFor('/in', '/srv/archive')).toBe('/srv/archive');
  });
});
