// Agent-wide settings the UI can read and (admin) change; network settings apply to every HTTP destination.
import { z } from 'zod';
import { weekdays } from './sending-window-spec.js';

export const logLevelSchema = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

const hostList = z.array(z.string().min(1).max(253)).max(100);

export const proxySettingsSchema = z.strictObject({
  mode: z.enum(['env', 'none', 'explicit']),
  url: z.string().max(2048).optional(),
  username: z.string().min(1).max(256).optional(),
  /** Name of the secret holding the proxy password (never the password). */
  passwordSecret: z.string().min(1).max(128).optional(),
  noProxy: hostList.default([]),
});

const clockTime = z.string().regex(/^\d{2}:\d{2}$/, { error: 'must be HH:MM' });

export const sendingWindowsSettingsSchema = z.strictObject({
  timeZone: z.string().min(1).max(64).optional(),
  windows: z
    .array(
      z.strictObject({
        days: z.array(z.enum(weekdays)).max(7).optional(),
        from: clockTime,
        to: clockTime,
      }),
    )
    .max(50),
});

export const limitsSettingsSchema = z.strictObject({
  maxPendingRecords: z.int().min(1).max(1e12),
  maxPendingBytes: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  minFreeDiskBytes: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
});

export const settingsSchema = z.object({
  /** Read-only: where the outbox, logs and status live. */
  dataDir: z.string(),
  /** Read-only: the config file changes are saved to (created in the data dir when the agent ran without one). */
  configFile: z.string(),
  sandbox: z.boolean(),
  /** Read-only: outbox.encryption.enabled (payloads and stored server answers encrypted at rest). */
  encryptedAtRest: z.boolean(),
  logLevel: logLevelSchema,
  limits: limitsSettingsSchema,
  /** Network settings shared by the HTTP destinations; null when there are none yet. */
  network: z
    .object({
      proxy: proxySettingsSchema,
      extraCaFile: z.string().nullable(),
      sendingWindows: sendingWindowsSettingsSchema.nullable(),
      /** False when connections differ (edited one by one): the values shown are the first connection's. */
      uniform: z.boolean(),
    })
    .nullable(),
});

export const settingsUpdateSchema = z.strictObject({
  logLevel: logLevelSchema.optional(),
  limits: limitsSettingsSchema.partial().optional(),
  network: z
    .strictObject({
      proxy: proxySettingsSchema.optional(),
      /** A PEM file of extra CA certificates to trust; null removes it. */
      extraCaFile: z.string().min(1).max(4096).nullable().optional(),
      /** Null: send at any time. */
      sendingWindows: sendingWindowsSettingsSchema.nullable().optional(),
    })
    .optional(),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsUpdate = z.input<typeof settingsUpdateSchema>;
export type ProxySettings = z.infer<typeof proxySettingsSchema>;
