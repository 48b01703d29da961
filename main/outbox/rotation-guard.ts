// Guards writes of payloads sealed by another process (the CLI) against a data key rotation in the running agent.
import type { Database } from 'better-sqlite3';

/** A rotation of the connection's data key started after the writer loaded its key: its sealed payloads must not land. */
export class RotationRaced extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationRaced';
  }
}

/** The newest audit entry now: taken BEFORE a process loads a data key, so any rotation that follows is newer. */
export function auditMark(db: Database): number {
  return db.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number;
}

/**
 * Throws RotationRaced when a rotation of `connection`'s data key started after `mark`, or one is still under way (its
 * start is the newest rotation entry): a payload sealed with the key loaded at `mark` would then be left under a key
 * the rotation removes. Run it inside the write transaction, so no rotation can start between the check and the write.
 */
export function assertNoRotationSince(db: Database, connection: string, mark: number): void {
  const latest = db
    .prepare(
      `SELECT id, at, action FROM audit_log WHERE target = ?
         AND action IN ('data-key.rotate', 'data-key.rotated', 'data-key.rotation-stopped')
       ORDER BY id DESC LIMIT 1`,
    )
    .get(connection) as { id: number; at: number; action: string } | undefined;
  if (!latest) return;
  const started = db
    .prepare("SELECT max(id) FROM audit_log WHERE target = ? AND action = 'data-key.rotate' AND id > ?")
    .pluck()
    .get(connection, mark) as number | null;
  if (latest.action !== 'data-key.rotate' && started === null) return;
  throw new RotationRaced(
    `a rotation of ${connection}'s data key ${latest.action === 'data-key.rotate' ? 'is under way' : 'ran'} since ` +
      `${new Date(latest.at).toISOString()}, so payloads sealed with the key this command loaded must not be stored. ` +
      `Fix: run the command again once the audit log shows data-key.rotated for ${connection} (if the agent stopped ` +
      'during the rotation, start it again in the console: Settings → Data at rest)',
  );
}
