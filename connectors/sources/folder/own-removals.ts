// Paths the folder source itself just moved away (archive, delete after delivery): a watcher event for one of them is
// usually the echo of that move, so it gets one look instead of being watched through a quiet period.
import { observe as observeFile, type Observation } from './file-reader.js';

export class OwnRemovals {
  private readonly paths = new Map<string, number>();

  constructor(
    private readonly keepMs = 10_000,
    private readonly now: () => number = Date.now,
    private readonly observe: (path: string) => Promise<Observation> = observeFile,
  ) {}

  /**
   * Kept in the order they were added (a path added again moves to the end), so the expired ones are at the front
   * and pruning stops at the first that is not: each add costs O(1) however many files were just removed (it went
   * through every entry before, 5,000 times for 5,000 files deleted within `keepMs`).
   */
  add(path: string): void {
    const now = this.now();
    for (const [p, at] of this.paths) {
      if (now - at <= this.keepMs) break;
      this.paths.delete(p);
    }
    this.paths.delete(path);
    this.paths.set(path, now);
  }

  /**
   * A watcher event for a candidate path: `watch` it, unless it is the echo of our own move; then it is watched only
   * if something is there again (a new file under the same name, a file put back).
   */
  route(path: string, watch: (path: string) => void): void {
    if (!this.has(path)) {
      watch(path);
      return;
    }
    void this.observe(path)
      .catch(() => undefined)
      .then((seen) => {
        if (seen?.exists === false) return;
        this.delete(path);
        watch(path);
      });
  }

  /** Whether the path was moved away by the source in the last `keepMs`. */
  has(path: string): boolean {
    const at = this.paths.get(path);
    if (at === undefined) return false;
    if (this.now() - at <= this.keepMs) return true;
    this.paths.delete(path);
    return false;
  }

  delete(path: string): void {
    this.paths.delete(path);
  }
}
