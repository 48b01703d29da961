// Append-only log of operator and agent actions on the outbox (replays, discards, quarantines…).
import type { Database, Statement } from 'better-sqlite3';

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
}

export class AuditLog {
  private readonly insert: Statement;
  private readonly byAction: Statement;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)',
    );
    this.byAction = db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT ?');
  }

  record(at: number, actor: string, action: string, target: string | null, detail?: unknown): void {
    this.insert.run(at, actor, action, target, detail === undefined ? null : JSON.stringify(detail));
  }

  recent(action: string, limit = 20): AuditEntry[] {
    const rows = this.byAction.all(action, limit) as (Omit<AuditEntry, 'detail'> & {
      detail: string | null;
    })[];
    return rows.map((r) => ({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) }));
  }
}
