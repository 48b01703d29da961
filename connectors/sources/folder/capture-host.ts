// What capturing one file needs from the folder source around it: the outbox, checkpoints, re-watching and problem notes.
import type { Logger } from 'pino';
import type { ChangeBatch, EnqueueResult } from '../../core/change.js';
import type { FileProblem } from './file-problems.js';
import type { FileRead } from './file-reader.js';
import type { ReadTurn } from './read-ahead.js';

/** Reads a whole file; `turn` says when a big one may be read (files are read a few at a time, see read-ahead.ts). */
export type ReadFile = (path: string, maxBytes: number, turn?: ReadTurn) => Promise<FileRead>;

/** What the capture step needs from the source around it. */
export interface CaptureHost {
  emit(batch: ChangeBatch): EnqueueResult;
  /** Stores a batch of captured content through the connection's mapping (SourceContext.emitShaped). */
  emitShaped(batch: ChangeBatch): Promise<EnqueueResult>;
  /** True when a mapping shapes what emitShaped stores (SourceContext.shapes). */
  shapes(): boolean;
  checkpoint(key: string): string | undefined;
  logger: Logger;
  readFile: ReadFile;
  /** Watch the path again until it settles (it changed while being read, or vanished and must stay gone). */
  rewatch(path: string): void;
  problem(path: string, problem: Omit<FileProblem, 'failures'>): void;
  /** The path is fine now (captured, unchanged, or gone for good; `gone`: keep notes meant to outlive the file). */
  resolved(path: string, gone?: boolean): void;
  /** Queue the after-delivery action of a version that was delivered before. */
  queueAction(identity: string, hash: string, generation: number): void;
  /** A file version was handed to the outbox. */
  captured(at: number): void;
  /** True when a long capture must stop between two batches (paused by backpressure, or stopping). */
  interrupted(): boolean;
}
