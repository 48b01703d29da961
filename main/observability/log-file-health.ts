// Whether the log file can be written right now: a full disk must not stop the agent, but status says what is lost.

export interface LogFileTrouble {
  file: string;
  /** errno code or message of the first failed write, e.g. ENOSPC. */
  reason: string;
  since: number;
  /** Lines that could not be kept while writing failed. */
  dropped: number;
}

let trouble: LogFileTrouble | undefined;

export function logFileTrouble(): LogFileTrouble | undefined {
  return trouble ? { ...trouble } : undefined;
}

export function noteLogWriteFailed(file: string, reason: string, now = Date.now()): boolean {
  const first = trouble === undefined;
  trouble ??= { file, reason, since: now, dropped: 0 };
  return first;
}

export function noteLogLineDropped(): void {
  if (trouble) trouble.dropped += 1;
}

/** A write went through again: the trouble is over (returns what it was, for one closing log line). */
export function noteLogWritten(): LogFileTrouble | undefined {
  const was = trouble;
  trouble = undefined;
  return was;
}

/** The status notice while writing fails, in plain words with the fix. */
export function logFileNotice(): string | undefined {
  if (!trouble) return undefined;
  const full = trouble.reason === 'ENOSPC' || trouble.reason === 'EDQUOT';
  return (
    `Log lines cannot be written to ${trouble.file} (${full ? 'the disk is full' : trouble.reason}) since ` +
    `${new Date(trouble.since).toISOString()}; ${trouble.dropped} dropped so far, the rest is kept in memory. ` +
    `The agent keeps running. Fix: free space on the data disk`
  );
}
