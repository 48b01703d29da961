// Whole-file reads for capture: the exact bytes from one positional read, and a file that grew meanwhile read whole.
import { appendFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKnownSize, readWholeFile } from '../../../../connectors/sources/folder/file-reader.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'folder-reader-' });

describe('file reads', () => {
  it('reads empty, small and multi-MiB files exactly', async () => {
    const dir = tempDir();
    for (const size of [0, 1, 5000, 2 * 1024 * 1024 + 3]) {
      const bytes = Buffer.alloc(size, size % 251);
      const path = join(dir, `f${size}`);
      writeFileSync(path, bytes);
      const read = await readWholeFile(path, 10 * 1024 * 1024);
      expect(read.kind).toBe('read');
      expect(read.kind === 'read' && read.bytes.equals(bytes)).toBe(true);
    }
  });

  it.each([
    [
      'grew',
      'first line\n',
      (path: string) => appendFileSync(path, 'second line\n'),
      'first line\nsecond line\n',
    ],
    ['shrank', 'a long first version\n', (path: string) => writeFileSync(path, 'short\n'), 'short\n'],
  ])('a file that %s after its size was taken gives what it holds now', async (_, before, change, now) => {
    const path = join(tempDir(), 'export.csv');
    writeFileSync(path, before);
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      change(path);
      expect((await readKnownSize(handle, size)).toString()).toBe(now);
    } finally {
      await handle.close();
    }
  });
});
