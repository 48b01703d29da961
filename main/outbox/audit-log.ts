// Append-only log of operator and agent actions (admin changes, replays, discards, quarantines…), read by action or page.
import type { Database, Statement } from 'better-sqlite3';
import { boundLimit } from './bound-limit.js';

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
  private readonly newest: Statement;
  private readonly before: Statement;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)',
    );
    this.byAction = db.prepare(
      `SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT ${boundLimit('?')}`,
    );
    this.newest = db.prepare(`SELECT * FROM audit_log ORDER BY id DESC LIMIT ${boundLimit('?')}`);
    this.before = db.prepare(
      `SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ${boundLimit('?')}`,
    );
  }

  record(at: number, actor: string, action: string, target: string | null, detail?: unknown): void {
    this.insert.run(at, actor, action, target, detail === undefined ? null : JSON.stringify(detail));
  }

  recent(action: string, limit = 20): AuditEntry[] {
    return parsed(this.byAction.all(action, limit));
  }

  /** Every action, newest first: `limit` entries older than `beforeId` (or the newest when absent). */
  page(limit: number, beforeId?: number): AuditEntry[] {
    return parsed(beforeId === undefined ? this.newest.all(limit) : this.before.all(beforeId, limit));
  }
}

function parsed(rows: unknown[]): AuditEntry[] {
  return (rows as (Omit<AuditEntry, 'detail'> & { detail: string | null })[]).map((r) => ({
    ...r,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
  }));
}
