// Commits that need not wait for the disk: in WAL mode the next synchronous commit makes them durable along with it.
import type { Database } from 'better-sqlite3';
import { readPragma, setPragma } from './pragma-statements.js';

/**
 * Runs `work` (one transaction) with synchronous = NORMAL when the outbox runs FULL. Only for writes whose loss on
 * power failure is harmless: leases (every start releases them all), bookkeeping the agent re-derives, and group
 * settles that nobody acts on before an fsync of the WAL (wal-sync.ts) has made them durable. A crash of
 * the process alone loses nothing (the WAL is in the OS's hands); a power cut may lose the last such commits, never a
 * synchronous commit made after them.
 */
export function commitWithoutFsync<T>(db: Database, work: () => T): T {
  const full = readPragma(db, 'synchronous') === 2;
  if (!full) return work();
  setPragma(db, 'synchronous = NORMAL');
  try {
    return work();
  } finally {
    setPragma(db, 'synchronous = FULL');
  }
}
