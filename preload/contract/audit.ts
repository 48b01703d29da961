// The audit trail as the UI sees it: who changed what and when (secret names only, never values; browser-safe).
import { z } from 'zod';
import { limitSchema, recordIdSchema } from './limits.js';

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  /** "admin (console)", "admin (desktop)", "cli:<OS user>", "agent". */
  actor: z.string(),
  /** e.g. connection.add, settings.update, secret.set, deadLetters.replay. */
  action: z.string(),
  /** The connection id, secret name, record… it acted on; null for agent-wide changes. */
  target: z.string().nullable(),
  /** Extra facts as compact JSON (changed setting names, record counts), at most 500 characters. */
  detail: z.string().nullable(),
});

export const auditPageArgsSchema = z.strictObject({
  /** Entries older than this id (the previous page's nextBeforeId); absent: the newest. */
  beforeId: recordIdSchema.optional(),
  limit: limitSchema(200, 50),
});

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Present when older entries exist: pass it as beforeId for the next page. */
  nextBeforeId: z.number().optional(),
});

export type AuditEntryView = z.output<typeof auditEntrySchema>;
