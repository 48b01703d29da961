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

  it('a file that grew after its size was taken is read whole, as it is now', async () => {
    const path = join(tempDir(), 'growing.csv');
    writeFileSync(path, 'first line\n');
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      appendFileSync(path, 'second line\n');
      expect((await readKnownSize(handle, size)).toString()).toBe('first line\nsecond line\n');
    } finally {
      await handle.close();
    }
  });

  it('a file that shrank after its size was taken gives what it holds now', async () => {
    const path = join(tempDir(), 'shrunk.csv');
    writeFileSync(path, 'a long first version\n');
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      writeFileSync(path, 'short\n');
      expect((await readKnownSize(handle, size)).toString()).toBe('short\n');
    } finally {
      await handle.close();
    }
  });
});
