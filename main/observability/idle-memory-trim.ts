// Gives memory back after work: once the agent is quiet, full garbage collections until V8 shrinks the young
// generation it grew under load (15–20 MB of resident memory on an idle agent).
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How long nothing was captured or settled before the first collection. */
export const quietBeforeTrimMs = 5_000;
/**
 * V8 shrinks the young generation only once its measured allocation rate (over about 5 s of collections) is low,
 * which the first collection after work rarely shows: so a few, this far apart, until it has shrunk.
 */
const retryEveryMs = 3_000;
const maxCollections = 4;
/** The young generation at or below this is as small as it gets (one semi-space page set). */
const shrunkYoungBytes = 2 * 1024 * 1024;

let collector: (() => void) | undefined;

/**
 * V8's own `gc`, reached without starting Node with --expose-gc: the flag set now puts `gc` only on contexts created
 * after it, such as this one (made once per process); the agent's own global stays as it was.
 */
function fullCollection(): () => void {
  if (collector) return collector;
  setFlagsFromString('--expose-gc');
  collector = runInNewContext('gc') as () => void;
  return collector;
}

function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0;
}

export interface TrimProbes {
  collect: () => void;
  youngBytes: () => number;
}

export class IdleMemoryTrim {
  private lastActivityAt: number;
  private lastCollectionAt = Number.NEGATIVE_INFINITY;
  private collections = 0;
  private readonly probes: TrimProbes;

  constructor(now: number, probes: Partial<TrimProbes> = {}) {
    this.lastActivityAt = now;
    this.probes = {
      collect: probes.collect ?? fullCollection(),
      youngBytes: probes.youngBytes ?? youngGenerationBytes,
    };
  }

  /** Work happened (records captured or settled): the next quiet spell gets its collections again. */
  noteActivity(now: number): void {
    this.lastActivityAt = now;
    this.collections = 0;
  }

  /** Collects when the agent is quiet and the young generation has not shrunk yet; true when it did now. */
  check(now: number): boolean {
    if (this.collections >= maxCollections || now - this.lastActivityAt < quietBeforeTrimMs) return false;
    if (now - this.lastCollectionAt < retryEveryMs) return false;
    this.probes.collect();
    this.lastCollectionAt = now;
    this.collections = this.probes.youngBytes() <= shrunkYoungBytes ? maxCollections : this.collections + 1;
    return true;
  }
}

/** Runs the trim beside an engine: `onActivity` subscribes to its activity. Returns the timer (unref'd) to clear. */
export function trimMemoryWhenIdle(onActivity: (listener: () => void) => unknown): NodeJS.Timeout {
  const trim = new IdleMemoryTrim(Date.now());
  onActivity(() => trim.noteActivity(Date.now()));
  const timer = setInterval(() => trim.check(Date.now()), 1_000);
  timer.unref();
  return timer;
}
