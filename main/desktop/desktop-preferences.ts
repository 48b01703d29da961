// The desktop app's own settings in the data dir (desktop.json): window bounds and start at login. Never secrets.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../shared/atomic-write.js';

const windowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
});

const preferencesSchema = z.object({
  window: windowStateSchema.optional(),
  openAtLogin: z.boolean().default(false),
});

export type WindowState = z.infer<typeof windowStateSchema>;
export type DesktopPreferences = z.infer<typeof preferencesSchema>;

export const desktopPreferencesFile = (dataDir: string) => join(dataDir, 'desktop.json');

/** A missing or damaged file (or field) gives the defaults: window placement is not worth refusing to start. */
export async function loadDesktopPreferences(dataDir: string): Promise<DesktopPreferences> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(desktopPreferencesFile(dataDir), 'utf8'));
  } catch {
    raw = {};
  }
  const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const window = windowStateSchema.safeParse(fields.window);
  const openAtLogin = z.boolean().safeParse(fields.openAtLogin);
  return {
    ...(window.success ? { window: window.data } : {}),
    openAtLogin: openAtLogin.success ? openAtLogin.data : false,
  };
}

/** Writes atomically, so a crash mid-save leaves the previous preferences. */
export async function saveDesktopPreferences(
  dataDir: string,
  preferences: DesktopPreferences,
): Promise<void> {
  const valid = preferencesSchema.parse(preferences);
  await writeFileAtomically(desktopPreferencesFile(dataDir), `${JSON.stringify(valid, null, 2)}\n`);
}

/** Merges a change into the stored preferences (read, change, write). */
export async function updateDesktopPreferences(
  dataDir: string,
  change: Partial<DesktopPreferences>,
): Promise<DesktopPreferences> {
  const next = { ...(await loadDesktopPreferences(dataDir)), ...change };
  await saveDesktopPreferences(dataDir, next);
  return next;
}
