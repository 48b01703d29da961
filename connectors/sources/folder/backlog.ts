// The folder source's backlog for status: files seen but not captured yet, and how long the oldest has waited.
import type { SourceHealth } from '../../core/source.js';
import type { FileProblems } from './file-problems.js';
import type { StabilityTracker } from './stability-tracker.js';

/** A settled file queued for capture. */
export interface QueuedCapture {
  path: string;
  since: number;
}

/** Files still settling, or settled and queued for capture. */
export function waitingFiles(
  tracker: StabilityTracker,
  queued: Iterable<QueuedCapture>,
): Pick<SourceHealth, 'waiting'> {
  const paths = new Set(tracker.waitingPaths());
  for (const work of queued) paths.add(work.path);
  return paths.size > 0 ? { waiting: { count: paths.size, unit: 'file' } } : {};
}

/** Age of the oldest file seen but not captured yet (waiting, queued or retried after a transient error). */
export function backlogLagMs(
  tracker: StabilityTracker,
  queued: Iterable<QueuedCapture>,
  problems: FileProblems,
  now = Date.now(),
): number {
  let oldest = tracker.oldestWaitingSince() ?? now;
  for (const work of queued) oldest = Math.min(oldest, work.since);
  for (const path of problems.paths()) {
    const problem = problems.get(path);
    if (problem?.transient && problem.since !== undefined) oldest = Math.min(oldest, problem.since);
  }
  return Math.max(0, now - oldest);
}
