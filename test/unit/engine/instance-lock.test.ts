// One agent per data directory: a second process is refused while the lock is held and succeeds once released.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AlreadyRunningError,
  acquireInstanceLock,
  isInstanceRunning,
  type InstanceLock,
} from '../../../main/engine/instance-lock.js';

const run = promisify(execFile);
const moduleUrl = pathToFileURL(resolve(import.meta.dirname, '../../../main/engine/instance-lock.ts')).href;

/** Runs acquire + release in a fresh Node process; resolves to 'acquired' or the error message. */
async function acquireInOtherProcess(dataDir: string): Promise<string> {
  const script = `
    const { acquireInstanceLock } = await import(${JSON.stringify(moduleUrl)});
    try {
      acquireInstanceLock(${JSON.stringify(dataDir)}).release();
      console.log('acquired');
    } catch (error) {
      console.log(error.name + ': ' + error.message);
    }
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    timeout: 15_000,
  });
  return stdout.trim();
}

let dataDir: string;
let lock: InstanceLock | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-lock-'));
});

afterEach(() => {
  lock?.release();
  lock = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('acquireInstanceLock', () => {
  it('refuses a second process while held, naming this pid, and lets it in after release', async () => {
    lock = acquireInstanceLock(dataDir);
    const refused = await acquireInOtherProcess(dataDir);
    expect(refused).toMatch(/^AlreadyRunningError: /);
    expect(refused).toContain('already running');
    expect(refused).toContain(`pid ${process.pid}`);
    expect(refused).toContain(dataDir);

    lock.release();
    lock = undefined;
    expect(await acquireInOtherProcess(dataDir)).toBe('acquired');
  });

  it('can be released twice without throwing', () => {
    const held = acquireInstanceLock(dataDir);
    held.release();
    expect(() => held.release()).not.toThrow();
  });
});

describe('isInstanceRunning', () => {
  it('is true while this process holds the lock', () => {
    lock = acquireInstanceLock(dataDir);
    expect(isInstanceRunning(dataDir)).toBe(true);
    expect(() => acquireInstanceLock(dataDir)).toThrow(AlreadyRunningError);
  });

  it('is false for a fresh directory and after release', () => {
    expect(isInstanceRunning(dataDir)).toBe(false);
    const held = acquireInstanceLock(dataDir);
    held.release();
    expect(isInstanceRunning(dataDir)).toBe(false);
    // Probing must not leave a lock behind.
    lock = acquireInstanceLock(dataDir);
  });
});

describe('AlreadyRunningError', () => {
  it('tells the admin how to fix it', () => {
    const error = new AlreadyRunningError('/data', 'pid 7, started 2030-01-01T00:00:00.000Z');
    expect(error.name).toBe('AlreadyRunningError');
    expect(error.message).toContain('pid 7');
    expect(error.message).toContain('Fix:');
    expect(error.message).toContain('--data-dir');
  });
});
