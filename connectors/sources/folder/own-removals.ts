// Paths the folder source itself just moved away (archive, delete after delivery): a watcher event for one of them is
// usually the echo of that move, so it gets one look instead of being watched through a quiet period.
export class OwnRemovals {
  private readonly paths = new Map<string, number>();

  constructor(
    private readonly keepMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  add(path: string): void {
    const now = this.now();
    if (this.paths.size >= 1024)
      for (const [p, at] of this.paths) if (now - at > this.keepMs) this.paths.delete(p);
    this.paths.set(path, now);
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
