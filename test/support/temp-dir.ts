// Per-test temporary directories: created before each test, removed (after an optional close hook) after it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export interface TempDirOptions {
  /** Directory name prefix under os.tmpdir(). */
  prefix?: string;
  /** Runs before the directory is removed, e.g. to close database handles that live in it. */
  beforeRemove?: () => void;
}

/** Registers beforeEach/afterEach hooks and returns a getter for the current test's directory. */
export function useTempDir(options: TempDirOptions = {}): () => string {
  let dir: string | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'outbox-'));
  });
  afterEach(() => {
    try {
      options.beforeRemove?.();
    } finally {
      if (dir) {
        // Undo chmod tricks a test may have played so the directory can be removed.
        try {
          fs.chmodSync(dir, 0o700);
        } catch {
          // already gone
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
      dir = undefined;
    }
  });
  return () => {
    if (!dir) throw new Error('useTempDir: no temporary directory outside a test');
    return dir;
  };
}
