// Opens the outbox SQLite file: pragmas, integrity check, quarantine of corrupt files, migrations.
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { checkIntegrity } from './integrity-check.js';
import { migrate, NewerSchemaError, OlderSchemaError, schemaVersion } from './migrate.js';
import { outboxMigrations } from './migrations/index.js';

export type SynchronousMode = 'FULL' | 'NORMAL';

export interface OpenOptions {
  synchronous: SynchronousMode;
  busyTimeoutMs: number;
  /**
   * Hard cap on the file size (SQLite max_page_count): capture (enqueue) past it fails like a full disk. Draining
   * writes (lease, settle, retention) may use a small reserve beyond it, so a full outbox can still empty.
   */
  maxDatabaseBytes?: number;
  readonly?: boolean;
  /**
   * A file up to this size is integrity-checked before it is used (default 32 MiB, about 80 ms); a bigger one after
   * open, on a worker thread, while the agent runs (see Outbox.integrityCheck). Read-only views always check first.
   */
  inlineCheckMaxBytes?: number;
}

export interface QuarantineNotice {
  movedTo: string;
  reason: string;
  at: number;
}

export interface OpenedDatabase {
  db: SqliteDatabase;
  quarantined?: QuarantineNotice;
  /** The file was not checked before use: too big to check on the way to "running" (the caller checks it after). */
  checkDeferred?: boolean;
}

const defaultInlineCheckMaxBytes = 32 * 1024 * 1024;
/** The outbox connection's SQLite page cache (see applyPragmas). */
export const outboxCacheSizeKiB = 8000;

/** Left by a check that found damage while the agent ran: the next open checks first, and sets the file aside. */
export const damagedMarkerOf = (file: string) => `${file}.damaged`;

export function markDamaged(file: string, reason: string, now: number): void {
  writeFileSync(damagedMarkerOf(file), `${JSON.stringify({ reason, at: now })}\n`, { mode: 0o600 });
}

/** The data directory or database file cannot be used at all; the message says why and what to do. */
export class OutboxUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboxUnavailableError';
  }
}

const corruptionCodes = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_IOERR_SHORT_READ']);

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** SQLite says the file is damaged (not merely busy or unwritable). */
export const isCorruption = (error: unknown) => corruptionCodes.has(sqliteCode(error) ?? '');

function describeAccessProblem(file: string, error: unknown): OutboxUnavailableError | undefined {
  const code = sqliteCode(error);
  const dir = dirname(file);
  if (
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_READONLY' ||
    code === 'EROFS'
  ) {
    return new OutboxUnavailableError(
      `Cannot write the outbox ${file} (${code}): the data directory ${dir} is read-only or not writable by this user. ` +
        `Fix: give the agent's user write access to ${dir} (chown/chmod), or point --data-dir at a writable directory.`,
      { cause: error },
    );
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new OutboxUnavailableError(
      `Cannot create the outbox ${file} (${code}): the data directory ${dir} (or one of its parents) exists but is not a directory. ` +
        `Fix: move that file out of the way, or point --data-dir at a directory.`,
      { cause: error },
    );
  }
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') {
    return new OutboxUnavailableError(
      `Cannot open the outbox ${file}: the disk holding ${dir} is full (${code}). Fix: free space on that disk; ` +
        `nothing already stored in the outbox has been lost.`,
      { cause: error },
    );
  }
  return undefined;
}

function applyPragmas(db: SqliteDatabase, options: OpenOptions, fresh: boolean): void {
  if (fresh) db.pragma('auto_vacuum = INCREMENTAL'); // only takes effect before the first table exists
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    // Fewer, larger checkpoints (about 40 MiB of WAL instead of 4) and a WAL file cut back to 64 MiB after each.
    // (A 64 MB page cache was tried too: no gain in bench:outbox or bench:capture, +56 MiB peak RSS.)
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  }
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection: the main malloc arena grew by 21 MiB while
  // a 1,000,000-row CSV was captured (2 MiB with a 256 KB cache, which cost 12 % of the capture rate). 8 MB gave
  // the same enqueue and drain rates in bench:outbox.
  db.pragma(`cache_size = -${outboxCacheSizeKiB}`);
  db.pragma('foreign_keys = ON');
  if (options.maxDatabaseBytes !== undefined) {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`max_page_count = ${pageLimits(options.maxDatabaseBytes, pageSize).drain}`);
  }
}

/** Page limits for a size cap: `capture` bounds enqueue, `drain` (a little more) bounds every other write. */
export function pageLimits(maxDatabaseBytes: number, pageSize: number): { capture: number; drain: number } {
  const capture = Math.max(16, Math.floor(maxDatabaseBytes / pageSize));
  return { capture, drain: capture + Math.max(16, Math.ceil(capture / 10)) };
}

function quarantine(file: string, reason: string, now: number): QuarantineNotice {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const movedTo = `${file}.corrupt-${stamp}`;
  renameSync(file, movedTo);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
  }
  rmSync(damagedMarkerOf(file), { force: true });
  return { movedTo, reason, at: now };
}

function openChecked(file: string, options: OpenOptions): { db: SqliteDatabase; checkDeferred: boolean } {
  // An empty file (created but never written, e.g. after a crash) is as fresh as a missing one.
  const size = existsSync(file) ? statSync(file).size : 0;
  const fresh = size === 0;
  const suspect = existsSync(damagedMarkerOf(file));
  const checkDeferred =
    !options.readonly && !suspect && size > (options.inlineCheckMaxBytes ?? defaultInlineCheckMaxBytes);
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  try {
    // Refuse a newer schema before any pragma (journal_mode = WAL) can rewrite the file's header.
    const found = schemaVersion(db);
    if (found > outboxMigrations.length) throw new NewerSchemaError(file, found, outboxMigrations.length);
    if (options.readonly && found < outboxMigrations.length)
      throw new OlderSchemaError(file, found, outboxMigrations.length);
    applyPragmas(db, options, fresh);
    const damage = checkDeferred ? undefined : checkIntegrity(db);
    if (damage)
      throw Object.assign(new Error(`integrity check failed: ${damage}`), { code: 'SQLITE_CORRUPT' });
    if (suspect && !options.readonly) rmSync(damagedMarkerOf(file)); // checked again now, and found healthy
    if (!options.readonly) migrate(db, outboxMigrations);
    return { db, checkDeferred };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens (creating if needed) the outbox. A file that is not SQLite or fails its integrity check is moved aside to a
 * timestamped quarantine file and a fresh outbox is created, so the agent never crash-loops on a bad file. A big file
 * is checked after open instead (`checkDeferred`); damage found then is marked, and set aside by the next open.
 */
export function openOutboxDatabase(file: string, options: OpenOptions, now = Date.now()): OpenedDatabase {
  try {
    if (!options.readonly) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      // Created private before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
      if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    }
  } catch (error) {
    throw describeAccessProblem(file, error) ?? error;
  }
  try {
    const { db, checkDeferred } = openChecked(file, options);
    return { db, ...(checkDeferred ? { checkDeferred } : {}) };
  } catch (error) {
    if (error instanceof NewerSchemaError || error instanceof OlderSchemaError) throw error;
    const access = describeAccessProblem(file, error);
    if (access) throw access;
    if (!isCorruption(error) || options.readonly) throw error;
    const notice = quarantine(file, error instanceof Error ? error.message : String(error), now);
    return { db: openChecked(file, options).db, quarantined: notice };
  }
}
