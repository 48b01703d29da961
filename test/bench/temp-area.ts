// One temporary directory per benchmark run, removed at the end, on error, on SIGINT/SIGTERM, or by the next run.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'outbox-bench-';
const OWNER_FILE = 'owner.pid';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only, nothing is sent
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes directories left by runs that were killed outright (SIGKILL, OOM, power loss): only ours, recognised by
 * prefix and owner file, and only when the owning process is gone. Returns how many were removed.
 */
export function sweepStaleAreas(base: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(base).filter((name) => name.startsWith(PREFIX));
  } catch {
    return 0;
  }
  for (const name of names) {
    const dir = join(base, name);
    let pid: number;
    try {
      pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not ours, or still being created
    }
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
      rmSync(dir, { recursive: true, force: true });
      removed += 1;
    }
  }
  return removed;
}

export class TempArea {
  private readonly closers = new Set<() => void>();
  private cleaned = false;

  private constructor(readonly root: string) {}

  static create(base: string): TempArea {
    const root = mkdtempSync(join(base, PREFIX));
    writeFileSync(join(root, OWNER_FILE), String(process.pid));
    return new TempArea(root);
  }

  /** A fresh, empty directory for one database. */
  dir(name: string): string {
    const path = join(this.root, name);
    rmSync(path, { recursive: true, force: true });
    mkdirSync(path);
    return path;
  }

  remove(name: string): void {
    rmSync(join(this.root, name), { recursive: true, force: true });
  }

  /** Registers something to close before the files go; returns a function that closes and forgets it. */
  track(close: () => void): () => void {
    this.closers.add(close);
    return () => {
      this.closers.delete(close);
      close();
    };
  }

  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const close of this.closers) {
      try {
        close();
      } catch {
        // closing is best effort: the files are removed next either way
      }
    }
    this.closers.clear();
    rmSync(this.root, { recursive: true, force: true });
  }

  /**
   * Signals are handled at the next yield: every phase yields to the event loop between timed blocks. Run the bench
   * with `node --import tsx`: the `tsx` CLI relays a signal to its child and SIGKILLs it when the child does not answer
   * within 60 ms, which a synchronous SQLite call cannot; `sweepStaleAreas` then cleans up on the next run.
   */
  installExitHandlers(): void {
    const onSignal = (signal: NodeJS.Signals, code: number) => {
      process.stderr.write(`\n${signal}: removing ${this.root}\n`);
      this.cleanup();
      process.exit(code);
    };
    process.once('SIGINT', () => onSignal('SIGINT', 130));
    process.once('SIGTERM', () => onSignal('SIGTERM', 143));
    process.once('exit', () => this.cleanup());
  }
}

/** Size of a SQLite file plus its -wal file, in bytes. */
export function databaseBytes(file: string): number {
  let total = 0;
  for (const path of [file, `${file}-wal`]) {
    try {
      total += statSync(path).size;
    } catch {
      // no such file
    }
  }
  return total;
}
