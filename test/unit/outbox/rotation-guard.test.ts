// The rotation guard: a payload sealed by another process is refused once a rotation of its key started after the mark.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { assertNoRotationSince, auditMark, RotationRaced } from '../../../main/outbox/rotation-guard.js';

function auditDb() {
  const db = new Database(':memory:');
  db.exec(
    'CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT, detail TEXT)',
  );
  const add = (action: string, target = 'a') =>
    db
      .prepare("INSERT INTO audit_log (at, actor, action, target) VALUES (0, 'agent', ?, ?)")
      .run(action, target);
  return { db, add };
}

describe('rotation guard', () => {
  it('lets a write through when every rotation of the connection ended before the mark', () => {
    const { db, add } = auditDb();
    expect(() => assertNoRotationSince(db, 'a', auditMark(db))).not.toThrow();
    add('data-key.rotate');
    add('data-key.rotated');
    add('data-key.rotate', 'b'); // another connection's rotation does not matter
    const mark = auditMark(db);
    add('dead-letter.replay');
    expect(() => assertNoRotationSince(db, 'a', mark)).not.toThrow();
  });

  it('refuses while a rotation is under way, even one that started before the mark', () => {
    const { db, add } = auditDb();
    add('data-key.rotate');
    const mark = auditMark(db);
    expect(() => assertNoRotationSince(db, 'a', mark)).toThrow(RotationRaced);
    expect(() => assertNoRotationSince(db, 'a', mark)).toThrow(/is under way/);
  });

  it('refuses after a rotation that started and ended since the mark (its old key is gone)', () => {
    const { db, add } = auditDb();
    const mark = auditMark(db);
    add('data-key.rotate');
    add('data-key.rotated');
    expect(() => assertNoRotationSince(db, 'a', mark)).toThrow(/ran since/);
    add('data-key.rotate');
    add('data-key.rotation-stopped');
    expect(() => assertNoRotationSince(db, 'a', mark)).toThrow(RotationRaced);
  });
});
