// The audit log page for the UI: newest first, paged by id, detail as short JSON passed through the known-secret redactor.
import type { MethodResult } from '../../preload/contract/api.js';
import type { AuditEntry, AuditLog } from '../outbox/audit-log.js';

const maxDetailChars = 500;

function detailText(detail: unknown, redact: (text: string) => string): string | null {
  if (detail === null || detail === undefined) return null;
  const text = redact(JSON.stringify(detail));
  return text.length > maxDetailChars ? `${text.slice(0, maxDetailChars - 1)}…` : text;
}

function toView(entry: AuditEntry, redact: (text: string) => string) {
  return {
    id: entry.id,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    target: entry.target === null ? null : redact(entry.target),
    detail: detailText(entry.detail, redact),
  };
}

/** One page of the audit log; `nextBeforeId` is set when older entries may follow. */
export function auditPage(
  log: AuditLog,
  args: { beforeId?: number | undefined; limit: number },
  redact: (text: string) => string,
): MethodResult<'listAuditLog'> {
  const entries = log.page(args.limit, args.beforeId);
  const last = entries.at(-1);
  return {
    entries: entries.map((entry) => toView(entry, redact)),
    ...(entries.length === args.limit && last ? { nextBeforeId: last.id } : {}),
  };
}
