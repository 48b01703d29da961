// Test helpers: capture the ConfigError a call throws, and make throwaway directories.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../main/config/errors.js';

export function configErrorOf(work: () => unknown): ConfigError {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

export async function asyncConfigErrorOf(work: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** A fresh directory under the OS temp dir and a function that removes it. */
export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'agent-config-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
