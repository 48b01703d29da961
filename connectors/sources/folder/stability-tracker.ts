// Watches candidate paths until they settle: a file finished by the finish rule, or a path gone for the quiet period.
import { sameObservation, type Observation } from './file-reader.js';
import type { FinishRule } from './finish-rule.js';

export interface StabilityOptions {
  /** How long a path must stay missing before its disappearance counts. */
  quietPeriodMs: number;
  /** How often waiting paths are looked at. */
  pollMs: number;
  rule: FinishRule;
  observe: (path: string) => Promise<Observation>;
  /**
   * The path settled: a finished file, a path that stayed missing, or something that is not a file. `since`: when the
   * file was written or first seen, whichever is earlier (for lag).
   */
  onSettled: (path: string, observation: Observation, since: number) => void;
  /** Looking at the path failed (permission denied on a folder, I/O error): it is no longer tracked. */
  onError: (path: string, error: unknown) => void;
  now?: () => number;
}

interface Entry {
  firstSeenAt: number;
  last: Observation | undefined;
  /** When the current observation was first seen, or the file's mtime when back-dated at first sight. */
  stableSince: number;
  /** When the current observation was first seen. */
  witnessedAt: number;
  /** stableSince is the file's mtime: it counts once a later look, half a quiet period on, saw the same file. */
  backdated: boolean;
}

/** Paths looked at in parallel within one pass. */
const observeChunk = 32;

const sinceOf = (entry: Entry) =>
  entry.last?.exists ? Math.min(entry.firstSeenAt, entry.last.mtimeMs) : entry.firstSeenAt;

export class StabilityTracker {
  private readonly entries = new Map<string, Entry>();
  /** A change was seen with an mtime far from our clock (a share with another clock): mtimes are not trusted. */
  private clockSkewed = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: StabilityOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts (or keeps) watching a path; a change seen later simply restarts its quiet period. */
  watch(path: string): void {
    if (this.stopped) return;
    if (!this.entries.has(path)) {
      const now = this.now();
      this.entries.set(path, {
        firstSeenAt: now,
        last: undefined,
        stableSince: now,
        witnessedAt: now,
        backdated: false,
      });
    }
    this.schedule(0);
  }

  forget(path: string): void {
    this.entries.delete(path);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** Look again soon (a marker or trigger file appeared). */
  wake(): void {
    if (this.entries.size > 0) this.schedule(0);
  }

  /** Paths of the files still waiting to settle (written to or not yet looked at twice). */
  waitingPaths(): string[] {
    return [...this.entries].filter(([, entry]) => !entry.last || entry.last.exists).map(([path]) => path);
  }

  /** When the oldest file still waiting was written (or first seen, if earlier); undefined when none waits. */
  oldestWaitingSince(): number | undefined {
    let oldest: number | undefined;
    for (const entry of this.entries.values()) {
      if (entry.last && !entry.last.exists) continue;
      const since = sinceOf(entry);
      oldest = oldest === undefined ? since : Math.min(oldest, since);
    }
    return oldest;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    this.entries.clear();
  }

  /** One pass over every waiting path (also what the timer runs). */
  async poll(): Promise<void> {
    if (this.polling) return this.polling;
    this.polling = this.pass().finally(() => {
      this.polling = undefined;
      if (this.entries.size > 0) this.schedule(this.options.pollMs);
    });
    return this.polling;
  }

  private schedule(ms: number): void {
    if (this.stopped || this.polling) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
  }

  private async pass(): Promise<void> {
    const paths = [...this.entries];
    for (let i = 0; i < paths.length && !this.stopped; i += observeChunk) {
      const chunk = paths.slice(i, i + observeChunk);
      const seen = await Promise.all(
        chunk.map(([path]) =>
          this.options.observe(path).then(
            (observation) => ({ observation }),
            (error: unknown) => ({ error }),
          ),
        ),
      );
      for (let j = 0; j < chunk.length && !this.stopped; j += 1) {
        const [path, entry] = chunk[j] as [string, Entry];
        const result = seen[j] as { observation: Observation } | { error: unknown };
        if (this.entries.get(path) !== entry) continue; // forgotten meanwhile
        try {
          if ('error' in result) throw result.error;
          await this.look(path, entry, result.observation);
        } catch (error) {
          this.entries.delete(path);
          this.options.onError(path, error);
        }
      }
    }
  }

  private async look(path: string, entry: Entry, seen: Observation): Promise<void> {
    const now = this.now();
    if (!entry.last || !sameObservation(entry.last, seen)) {
      const first = !entry.last;
      entry.last = seen;
      entry.stableSince = now;
      entry.witnessedAt = now;
      entry.backdated = false;
      if (seen.exists && seen.isFile) {
        if (!first && Math.abs(now - seen.mtimeMs) > Math.max(this.options.quietPeriodMs, 1000))
          this.clockSkewed = true; // a write we just witnessed carries an mtime from another clock
        // Written long ago (seen at start, or an old file moved in): its quiet period may already be over.
        if (first && !this.clockSkewed && seen.mtimeMs <= now) {
          entry.stableSince = seen.mtimeMs;
          entry.backdated = true;
        }
      }
    }
    // A back-dated start counts only once a later look, half a quiet period on, saw the very same size and mtime: a
    // writer would have to pause that long while its timestamps lie (coarse or foreign clocks) to be taken half.
    const confirmed = now - entry.witnessedAt >= this.options.quietPeriodMs / 2;
    const since = entry.backdated && !confirmed ? entry.witnessedAt : entry.stableSince;
    const stableFor = now - since;
    const settled = !seen.exists
      ? stableFor >= this.options.quietPeriodMs
      : !seen.isFile || (await this.options.rule.isFinished(path, seen, stableFor, now));
    if (settled && this.entries.get(path) === entry) {
      this.entries.delete(path);
      this.options.onSettled(path, seen, sinceOf(entry));
    }
  }
}
