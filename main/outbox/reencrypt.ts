// Key rotation: a new data key at once, then a background pass re-seals every stored payload, then old keys go.
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
      'SELECT id, payload FROM records WHERE connection = ? AND id > ? AND payload IS NOT NULL ORDER BY id LIMIT ?',
    )
    .all(connection, afterId, limit) as { id: number; payload: Buffer }[];
  const update = db.prepare('UPDATE records SET payload = ? WHERE id = ? AND payload = ?');
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
 * Rotates the connection's data key: new payloads use the new key at once; stored ones are re-sealed in steps of
 * `batch` records, yielding to the event loop between steps; once all are done the old keys are dropped from the
 * secret store. A payload whose old key is missing stops the pass with its PayloadKeyError (old keys are kept then).
 */
export async function rotateDataKey(
  db: Database,
  keys: DataKeys,
  connection: string,
  batch = 500,
): Promise<RotationResult> {
  const keyId = await keys.rotate(connection);
  let afterId = 0;
  let rewritten = 0;
  for (;;) {
    const step = reencryptStep(db, keys, connection, afterId, batch);
    rewritten += step.rewritten;
    if (step.lastId === undefined) break;
    afterId = step.lastId;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await keys.retireOldKeys(connection);
  return { keyId, rewritten };
}
