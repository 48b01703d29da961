// Atomic file replacement: concurrent writers, file modes, and failures that leave the original and no temp file.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../../main/shared/atomic-write.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir({ prefix: 'atomic-write-' });

describe('writeFileAtomically', () => {
  it('replaces the content and leaves only the target in the folder', async () => {
    const file = join(dir(), 'data.json');
    writeFileSync(file, 'old');
    await writeFileAtomically(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir())).toEqual(['data.json']);
  });

  it('writes bytes as given', async () => {
    const file = join(dir(), 'data.bin');
    const bytes = Buffer.from([0, 1, 2, 255]);
    await writeFileAtomically(file, bytes);
    expect(readFileSync(file)).toEqual(bytes);
  });

  it('lets concurrent writes to the same file both succeed, leaving one whole version', async () => {
    const file = join(dir(), 'data.txt');
    const a = 'a'.repeat(4 * 1024 * 1024);
    const b = 'b'.repeat(4 * 1024 * 1024);
    await Promise.all([writeFileAtomically(file, a), writeFileAtomically(file, b)]);
    expect([a, b]).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir())).toEqual(['data.txt']);
  });

  it('gives the new file the requested mode', async () => {
    const file = join(dir(), 'private.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    await writeFileAtomically(file, 'secret', { mode: 0o600 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps the mode of the file it replaces when none is requested', async () => {
    const file = join(dir(), 'shared.json');
    writeFileSync(file, 'old', { mode: 0o640 });
    await writeFileAtomically(file, 'new');
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('leaves the target and no temp file behind when the rename fails (target is a folder)', async () => {
    const target = join(dir(), 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside.txt'), 'keep');
    await expect(writeFileAtomically(target, 'new')).rejects.toThrow();
    expect(statSync(target).isDirectory()).toBe(true);
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('keep');
    expect(readdirSync(dir())).toEqual(['taken']);
  });

  it('leaves the original file and no temp file behind when writing the data fails', async () => {
    const file = join(dir(), 'data.json');
    writeFileSync(file, 'original');
    await expect(writeFileAtomically(file, 42 as unknown as string)).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('original');
    expect(readdirSync(dir())).toEqual(['data.json']);
  });

  it('fails without creating anything when the folder does not exist', async () => {
    await expect(writeFileAtomically(join(dir(), 'missing', 'data.json'), 'x')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir())).toEqual([]);
  });
});
