// The rotating log file as a main-thread pino destination (a SonicBoom on numbered files), taking lines before it has opened.
import { errorMessage } from '../shared/error-message.js';
import { openNumberedLog } from './numbered-log-file.js';
import { noteLogLineDropped, noteLogWriteFailed, noteLogWritten } from './log-file-health.js';

/** The part of the log file's stream (a SonicBoom) this module uses. */
interface RollStream {
  write(line: string): boolean;
  flushSync(): void;
  end(): void;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): void;
  on(event: 'drop' | 'write', listener: () => void): void;
}

/** What SonicBoom may hold in memory while the file cannot be written (disk full); beyond it, lines are dropped. */
const maxBufferedBytes = 4 * 1024 * 1024;

export interface RollingFileOptions {
  file: string;
  maxFileBytes: number;
  /** Rotated files kept besides the active one; files left by earlier runs count too. */
  maxFiles: number;
}

/** Lines held while the file opens (milliseconds at start); beyond this they are counted as dropped. */
const maxEarlyLines = 10_000;

/**
 * In the main thread rather than a pino transport worker: a worker thread is a second JavaScript heap, about 16 MB
 * of resident memory on an agent that must stay small while it streams large files (measured with bench:capture).
 */
export class RollingFile {
  private stream: RollStream | undefined;
  private early: string[] = [];
  private dropped = 0;
  private ended = false;

  constructor(options: RollingFileOptions) {
    openNumberedLog({
      file: options.file,
      maxFileBytes: Math.max(1024, options.maxFileBytes),
      maxFiles: options.maxFiles,
      mode: 0o600, // logs may quote records: readable by the agent's account only
      maxLength: maxBufferedBytes,
    }).then(
      (stream) => this.opened(stream, options.file),
      (error: unknown) => {
        const reason = errorMessage(error);
        process.stderr.write(
          `integration-agent: cannot write the log file ${options.file} (${reason}); logs go to the in-memory ` +
            'tail only. Fix: give the account write access to the logs folder of the data directory\n',
        );
        this.early = [];
      },
    );
  }

  write(line: string): void {
    if (this.stream) this.stream.write(line);
    else if (this.early.length < maxEarlyLines) this.early.push(line);
    else this.dropped += 1;
  }

  flushSync(): void {
    if (this.stream) flushIfOpen(this.stream);
  }

  end(): void {
    this.ended = true;
    if (!this.stream) return;
    flushIfOpen(this.stream);
    this.stream.end(); // SonicBoom writes what it holds once its file is open, then closes it
  }

  private opened(stream: RollStream, file: string): void {
    this.stream = stream;
    // A write that fails (disk full) must not end the process: SonicBoom keeps the lines (up to maxLength) and writes
    // them with the next line once the disk has room; status shows the trouble meanwhile.
    stream.on('error', (error) => {
      if (noteLogWriteFailed(file, error.code ?? error.message))
        process.stderr.write(
          `integration-agent: cannot write the log file ${file} (${error.code ?? error.message}); lines are kept in ` +
            'memory (up to 4 MiB, then dropped and counted) until it can write again. Fix: free space on the data disk\n',
        );
    });
    stream.on('drop', () => noteLogLineDropped());
    stream.on('write', () => {
      const was = noteLogWritten();
      if (was)
        stream.write(
          `${JSON.stringify({ level: 40, time: new Date().toISOString(), msg: `the log file could not be written from ${new Date(was.since).toISOString()} (${was.reason}); ${was.dropped} lines were dropped` })}\n`,
        );
    });
    for (const line of this.early) stream.write(line);
    if (this.dropped > 0) {
      stream.write(
        `${JSON.stringify({ level: 40, time: new Date().toISOString(), msg: `${this.dropped} log lines were dropped while the log file opened` })}\n`,
      );
    }
    this.early = [];
    if (this.ended) this.end();
  }
}

/** SonicBoom's flushSync throws while its file is still opening; end() then writes the lines once it is open. */
function flushIfOpen(stream: RollStream): void {
  try {
    stream.flushSync();
  } catch (error) {
    if (!(error instanceof Error && /not ready/.test(error.message))) throw error;
  }
}
