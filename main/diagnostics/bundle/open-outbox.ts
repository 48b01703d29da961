// Outbox access for support tools beside a running agent: read-only views and dead-letter actions, never the lock.
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../outbox/audit-log.js';
import { OutboxCounters } from '../../outbox/counters.js';
import type { PayloadCodec } from '../../outbox/data-keys.js';
import { DeadLetters, type DeadLetterActionResult } from '../../outbox/dead-letters.js';
import { openRemapSelection, sealRemapOutcomes } from '../../outbox/encryption-seam.js';
import { assertNoRotationSince, auditMark } from '../../outbox/rotation-guard.js';
import { Remaps, type RemapApplied, type RemapOutcome } from '../../outbox/remap.js';
import { schemaVersion } from '../../outbox/migrate.js';
import { outboxMigrations } from '../../outbox/migrations/index.js';
import { Outbox } from '../../outbox/outbox.js';
import { outboxFile } from '../../shared/data-dir.js';

/** How long a support command waits for the agent's write transaction to finish (SQLite busy timeout). */
export const supportBusyTimeoutMs = 5000;

/** The outbox cannot be used by a support command; the message says why and what to do. */
export class OutboxAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxAccessError';
  }
}

/**
 * The pid of the agent that runs on this data directory, from its pid file, if that process is alive.
 * Reads only: taking the instance lock, even briefly, could make an agent that starts at that moment refuse to run.
 */
export function runningAgentPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'agent.pid');
  if (!existsSync(file)) return undefined;
  let pid: unknown;
  try {
    pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
  } catch {
    return undefined; // being written or removed right now
  }
  if (typeof pid !== 'number') return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM' ? pid : undefined; // alive, another user's
  }
}

function requireOutbox(dataDir: string): string {
  const file = outboxFile(dataDir);
  if (!existsSync(file)) {
    throw new OutboxAccessError(
      `there is no outbox in ${dataDir}. Fix: pass the --data-dir the agent runs with (it creates outbox.db on its first start)`,
    );
  }
  return file;
}

/** Opens the outbox read-only (WAL: works while the agent writes); the caller closes it. */
export function openOutboxReadOnly(dataDir: string): Outbox {
  return Outbox.open(requireOutbox(dataDir), {
    synchronous: 'NORMAL',
    busyTimeoutMs: supportBusyTimeoutMs,
    readonly: true,
  });
}

/** The outbox's newest audit entry (see rotation-guard.ts), read before a command loads a data key. */
export function readAuditMark(dataDir: string): number {
  const db = new Database(requireOutbox(dataDir), {
    readonly: true,
    fileMustExist: true,
    timeout: supportBusyTimeoutMs,
  });
  try {
    return auditMark(db);
  } finally {
    db.close();
  }
}

export interface DeadLetterWriter {
  replay(ids: number[], actor: string): DeadLetterActionResult;
  discard(ids: number[], actor: string): DeadLetterActionResult;
  remapSelection: Remaps['select'];
  applyRemap(connection: string, outcomes: RemapOutcome[], actor: string): RemapApplied;
  /** Ids of every dead letter of a connection. */
  deadIds(connection: string): number[];
  close(): void;
}

/**
 * Replay, discard and re-map through a second SQLite connection. Unlike Outbox.open it neither migrates nor releases
 * leases: the running agent owns its leases. Each action is one IMMEDIATE transaction that waits out the agent's
 * writes. With `codec` (outbox.encryption on) re-map candidates are opened and their new payloads sealed, as the
 * engine does; replay and discard never touch payloads.
 */
export function openDeadLetterWriter(
  dataDir: string,
  sealing?: { codec: PayloadCodec; auditMark: number },
): DeadLetterWriter {
  const codec = sealing?.codec;
  const file = requireOutbox(dataDir);
  const db = new Database(file, { fileMustExist: true, timeout: supportBusyTimeoutMs });
  try {
    const found = schemaVersion(db);
    if (found !== outboxMigrations.length) {
      throw new OutboxAccessError(
        found > outboxMigrations.length
          ? `the outbox ${file} was written by a newer agent (schema ${found}, this one knows ${outboxMigrations.length}). Fix: use the CLI of the agent version that runs`
          : `the outbox ${file} has an older schema (${found}, current ${outboxMigrations.length}). Fix: start the agent once so it upgrades the file, then retry`,
      );
    }
    db.pragma('foreign_keys = ON');
    const counters = new OutboxCounters();
    const dead = new DeadLetters(db, counters, new AuditLog(db));
    const ids = db
      .prepare("SELECT id FROM records WHERE connection = ? AND state = 'dead' ORDER BY id")
      .pluck();
    const remaps = new Remaps(db, counters, new AuditLog(db));
    return {
      replay: (list, actor) => dead.replay(list, actor, Date.now()),
      remapSelection: (connection, request) =>
        openRemapSelection(codec, connection, remaps.select(connection, request)),
      applyRemap: (connection, outcomes, actor) =>
        remaps.apply(
          connection,
          sealRemapOutcomes(codec, connection, outcomes),
          actor,
          Date.now(),
          sealing && (() => assertNoRotationSince(db, connection, sealing.auditMark)),
        ),
      discard: (list, actor) => dead.discard(list, actor, Date.now()),
      deadIds: (connection) => ids.all(connection) as number[],
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
