// One agent per data directory: an OS file lock (SQLite EXCLUSIVE locking mode) that the OS releases even on SIGKILL.
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class AlreadyRunningError extends Error {
  constructor(dataDir: string, holder: string) {
    super(
      `Another agent (${holder}) is already running on the data directory ${dataDir}. ` +
        `Fix: stop that agent first (or use 'integration-agent status --data-dir ${dataDir}' to see it), ` +
        `or start this one with a different --data-dir.`,
    );
    this.name = 'AlreadyRunningError';
  }
}

export interface InstanceLock {
  release(): void;
}

function describeHolder(pidFile: string): string {
  try {
    const { pid, startedAt } = JSON.parse(readFileSync(pidFile, 'utf8')) as {
      pid: number;
      startedAt: string;
    };
    return `pid ${pid}, started ${startedAt}`;
  } catch {
    return 'pid unknown';
  }
}

/** Throws AlreadyRunningError when another live process holds the lock; a crashed holder's lock is gone with it. */
export function acquireInstanceLock(dataDir: string): InstanceLock {
  const lockFile = join(dataDir, 'agent.lock');
  const pidFile = join(dataDir, 'agent.pid');
  const db: SqliteDatabase = new Database(lockFile, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); COMMIT;');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY')
      throw new AlreadyRunningError(dataDir, describeHolder(pidFile));
    throw error;
  }
  writeFileSync(pidFile, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }), {
    mode: 0o600,
  });
  return {
    release() {
      if (!db.open) return;
      rmSync(pidFile, { force: true });
      db.close();
    },
  };
}

/** True when a live agent holds the data directory (used by `status` to tell running from stopped). */
export function isInstanceRunning(dataDir: string): boolean {
  try {
    acquireInstanceLock(dataDir).release();
    return false;
  } catch (error) {
    if (error instanceof AlreadyRunningError) return true;
    throw error;
  }
}
