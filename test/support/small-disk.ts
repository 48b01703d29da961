// A tiny tmpfs for tests that need a disk that is really full or really read-only (needs root: CAP_SYS_ADMIN).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Mounts a tmpfs of `size` (e.g. "64k") before the file's tests and unmounts it after; fails loudly when it cannot. */
export function useSmallDisk(options: { size: string; readOnly?: boolean }): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'small-disk-'));
    const mountOptions = `size=${options.size}${options.readOnly ? ',ro' : ''}`;
    try {
      run('mount', ['-t', 'tmpfs', '-o', mountOptions, 'tmpfs', dir]);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(
        `cannot mount a ${options.size} tmpfs at ${dir} (${stderr ?? String(error)}): these tests need root ` +
          '(CAP_SYS_ADMIN) to make a disk that is really full or read-only; run them as root or in the CI container',
        { cause: error },
      );
    }
  });
  afterAll(() => {
    if (!dir) return;
    try {
      run('umount', [dir]);
    } catch {
      run('umount', ['-l', dir]); // a file the test closed a moment ago may still be held: detach it lazily
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('useSmallDisk: no disk outside the tests');
    return dir;
  };
}
