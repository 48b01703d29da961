// Connections as the UI lists and edits them: config (never secret values, only secretRef names), paused flag, live status.
import { z } from 'zod';
import { connectionStatusSchema } from './status.js';

export const connectionViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  /** Paused by an admin: no capture, no delivery, until resumed (kept across restarts). */
  paused: z.boolean(),
  sourceType: z.string(),
  destinationType: z.string(),
  /** The connection's config as validated (defaults filled in); secrets appear only as { secretRef: NAME }. */
  config: z.record(z.string(), z.unknown()),
  status: connectionStatusSchema.optional(),
});

export const removedConnectionSchema = z.object({
  id: z.string(),
  /** Records of the connection still waiting in the outbox: kept, and sent if the connection is added again. */
  pendingKept: z.number(),
  deadKept: z.number(),
});

export type ConnectionView = z.infer<typeof connectionViewSchema>;
