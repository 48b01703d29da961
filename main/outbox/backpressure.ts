// Decides when sources must pause because the outbox is over its caps or the disk is nearly full, with hysteresis.
import { statfsSync } from 'node:fs';
import type { ConnectionCounts } from './counters.js';

export interface BackpressureLimits {
  maxPendingRecords: number;
  maxPendingBytes: number;
  /** Below this many free bytes on the data dir's disk, capture pauses. */
  minFreeDiskBytes: number;
}

export interface BackpressureState {
  paused: boolean;
  /** Plain-words reason while paused. */
  reason?: string;
}

/** Capture resumes only once usage falls this far below a cap, so it does not flap at the edge. */
const resumeFraction = 0.9;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function freeDiskBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

const MiB = 1024 * 1024;

/** The default free-disk floor for a disk of `diskBytes`: 5 %, within 32 MiB … 512 MiB, never over a quarter of it. */
export function defaultDiskFloor(diskBytes: number): number {
  const share = Math.min(512 * MiB, Math.max(32 * MiB, Math.round(diskBytes * 0.05)));
  return Math.min(share, Math.floor(diskBytes / 4));
}

/** The configured floor, else the default for the data directory's disk; and a warning when it can never be met. */
export function diskFloorFor(
  dir: string,
  configured: number | undefined,
): { floor: number; warning?: string } {
  let disk: number;
  try {
    const stats = statfsSync(dir);
    disk = stats.blocks * stats.bsize;
  } catch {
    return { floor: configured ?? 512 * MiB }; // no disk to look at (yet): the classic default
  }
  const floor = configured ?? defaultDiskFloor(disk);
  if (floor < disk) return { floor };
  return {
    floor,
    warning:
      `outbox.minFreeDiskBytes (${mb(floor)}) is at least the size of the whole data disk (${mb(disk)}): capture ` +
      `could never run. Fix: lower it, or leave it out for a default scaled to the disk`,
  };
}

export function evaluateBackpressure(
  totals: ConnectionCounts,
  freeDisk: number,
  limits: BackpressureLimits,
  previous: BackpressureState,
): BackpressureState {
  const slack = previous.paused ? resumeFraction : 1;
  if (totals.pending >= limits.maxPendingRecords * slack) {
    return {
      paused: true,
      reason: `outbox holds ${totals.pending} undelivered records (cap ${limits.maxPendingRecords}); capture resumes as delivery drains it`,
    };
  }
  if (totals.pendingBytes >= limits.maxPendingBytes * slack) {
    return {
      paused: true,
      reason: `outbox holds ${mb(totals.pendingBytes)} undelivered (cap ${mb(limits.maxPendingBytes)}); capture resumes as delivery drains it`,
    };
  }
  if (freeDisk < limits.minFreeDiskBytes / slack) {
    return {
      paused: true,
      reason: `only ${mb(freeDisk)} free on the data disk (floor ${mb(limits.minFreeDiskBytes)}); free space to resume capture`,
    };
  }
  return { paused: false };
}
