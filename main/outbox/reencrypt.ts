// Key rotation: a new data key at once, then a background pass re-seals every stored payload and answer, then old keys go.
import type { Database } from 'better-sqlite3';
import type { DataKeys } from './data-keys.js';

export interface RotationResult {
  keyId: string;
  rewritten: number;
}

/**
 * Re-seals up to `limit` payloads of `connection` after id `afterId` that are plain or under an older key, in one
 * short transaction. Returns the last id looked at (undefined when the pass is done) and how many were rewritten.
 */
export function reencryptStep(
  db: Database,
  keys: DataKeys,
  connection: string,
  afterId: number,
  limit: number,
): { lastId: number | undefined; rewritten: number } {
  const rows = db
    .prepare(
      `SELECT r.id, p.payload FROM records r JOIN record_payloads p ON p.record_id = r.id
       WHERE r.connection = ? AND r.id > ? ORDER BY r.id LIMIT ?`,
    )
    .all(connection, afterId, limit) as { id: number; payload: Buffer }[];
  const update = db.prepare('UPDATE record_payloads SET payload = ? WHERE record_id = ? AND payload = ?');
  const rewrite = db.transaction(() => {
    let rewritten = 0;
    for (const row of rows) {
      if (!keys.isStale(connection, row.payload)) continue;
      const sealed = keys.seal(connection, keys.open(connection, row.payload));
      rewritten += update.run(sealed, row.id, row.payload).changes; // skipped if it changed meanwhile
    }
    return rewritten;
  });
  const rewritten = rewrite.immediate();
  return { lastId: rows.length < limit ? undefined : rows.at(-1)?.id, rewritten };
}

/**
 * Re-seals up to `limit` of the receivers' answers sealed on the timeline events of `connection`'s records (see
 * sealed-answers.ts) after event id `afterId` that are under an older key, in one short transaction.
 */
export function reencryptAnswersStep(
  db: Database,
  keys: DataKeys,
  connection: string,
  afterId: number,
  limit: number,
): { lastId: number | undefined; rewritten: number } {
  const rows = db
    .prepare(
      `SELECT e.id, e.detail FROM record_events e JOIN records r ON r.id = e.record_id
       WHERE r.connection = ? AND e.id > ? AND e.detail LIKE '%"sealedAnswer":%' ORDER BY e.id LIMIT ?`,
    )
    .all(connection, afterId, limit) as { id: number; detail: string }[];
  const update = db.prepare('UPDATE record_events SET detail = ? WHERE id = ? AND detail = ?');
  const rewrite = db.transaction(() => {
    let rewritten = 0;
    for (const row of rows) {
      const detail = JSON.parse(row.detail) as { sealedAnswer?: unknown };
      if (typeof detail.sealedAnswer !== 'string') continue;
      const stored = Buffer.from(detail.sealedAnswer, 'base64');
      if (!keys.isStale(connection, stored)) continue;
      const sealedAnswer = keys.seal(connection, keys.open(connection, stored)).toString('base64');
      rewritten += update.run(JSON.stringify({ ...detail, sealedAnswer }), row.id, row.detail).changes;
    }
    return rewritten;
  });
  const rewritten = rewrite.immediate();
  return { lastId: rows.length < limit ? undefined : rows.at(-1)?.id, rewritten };
}

type Step = typeof reencryptStep;

/** Runs `step` until it is done, yielding to the event loop between steps; returns how many it rewrote. */
async function reencryptAll(step: Step, db: Database, keys: DataKeys, connection: string, batch: number) {
  let afterId = 0;
  let rewritten = 0;
  for (;;) {
    const done = step(db, keys, connection, afterId, batch);
    rewritten += done.rewritten;
    if (done.lastId === undefined) return rewritten;
    afterId = done.lastId;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Rotates the connection's data key: new payloads use the new key at once; stored ones, then the receivers' sealed
 * answers, are re-sealed in steps of `batch` rows, yielding to the event loop between steps; once all are done the
 * old keys are dropped from the secret store. A payload whose old key is missing stops the pass with its PayloadKeyError (old keys are kept then).
 */
export async function rotateDataKey(
  db: Database,
  keys: DataKeys,
  connection: string,
  batch = 500,
): Promise<RotationResult> {
  const keyId = await keys.rotate(connection);
  const rewritten = await reencryptAll(reencryptStep, db, keys, connection, batch);
  await reencryptAll(reencryptAnswersStep, db, keys, connection, batch);
  await keys.retireOldKeys(connection);
  return { keyId, rewritten };
}
