// Measures what Outbox.open costs on a big file, and which of its start-up steps read the whole database.
import Database from 'better-sqlite3';
import { OutboxCounters } from '../../main/outbox/counters.js';
import { Leaser } from '../../main/outbox/lease.js';
import { nowMs } from './measure.js';
import { openBenchOutbox } from './outbox-driver.js';

export interface OpenCost {
  openMs: number;
  quickCheckMs: number;
  countersLoadMs: number;
  releaseOrphansMs: number;
}

/** Files are warm in the OS page cache here (just written): a cold start after a reboot is slower. */
export function measureOpenCost(file: string): OpenCost {
  let t = nowMs();
  openBenchOutbox(file).close();
  const openMs = nowMs() - t;
  const db = new Database(file);
  try {
    t = nowMs();
    db.pragma('quick_check');
    const quickCheckMs = nowMs() - t;
    t = nowMs();
    const counters = new OutboxCounters();
    counters.load(db);
    const countersLoadMs = nowMs() - t;
    const leaser = new Leaser(db);
    t = nowMs();
    leaser.releaseOrphanedLeases(counters.connections());
    const releaseOrphansMs = nowMs() - t;
    return { openMs, quickCheckMs, countersLoadMs, releaseOrphansMs };
  } finally {
    db.close();
  }
}
