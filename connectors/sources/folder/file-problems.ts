// Per-file statuses of the folder source: which files could not be captured, why, and when to try them again.
export interface FileProblem {
  /** The file as shown to users (its identity). */
  file: string;
  /** What is wrong and how to fix it. */
  message: string;
  /**
   * Transient problems (permission denied, locked) are retried on a timer; the others (too large, not a file) only
   * once the file changes, i.e. no longer has this size and mtime.
   */
  transient: boolean;
  size?: number;
  mtimeMs?: number;
  /** When the file was first seen failing (transient problems count towards the lag). */
  since?: number;
  /** Still shown after the file is gone (until the next rescan): "vanished while being read". */
  keepWhenGone?: true;
  /** Consecutive failures, for the retry backoff. */
  failures: number;
}

const shown = 3;

export class FileProblems {
  private readonly problems = new Map<string, FileProblem>();

  note(path: string, problem: Omit<FileProblem, 'failures'>): FileProblem {
    const failures = (this.problems.get(path)?.failures ?? 0) + 1;
    const entry = { ...problem, failures };
    this.problems.set(path, entry);
    return entry;
  }

  clear(path: string): boolean {
    return this.problems.delete(path);
  }

  get(path: string): FileProblem | undefined {
    return this.problems.get(path);
  }

  /** Whether a permanent problem still applies to the file as it is now (same size and mtime). */
  stillRefused(path: string, size: number, mtimeMs: number): boolean {
    const problem = this.problems.get(path);
    return (
      problem !== undefined && !problem.transient && problem.size === size && problem.mtimeMs === mtimeMs
    );
  }

  paths(): string[] {
    return [...this.problems.keys()];
  }

  /** "2 files not captured: a.csv: …; b.csv: …" (the first few, then a count), or undefined when all is well. */
  summary(): string | undefined {
    if (this.problems.size === 0) return undefined;
    const all = [...this.problems.values()];
    const listed = all.slice(0, shown).map((p) => `${p.file}: ${p.message}`);
    const more = all.length > shown ? `; and ${all.length - shown} more (see the log)` : '';
    const noun = all.length === 1 ? 'file' : 'files';
    return `${all.length} ${noun} not captured: ${listed.join('; ')}${more}`;
  }
}
