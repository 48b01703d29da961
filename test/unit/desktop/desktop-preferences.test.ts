// desktop.json in the data dir: defaults when missing or damaged, field by field; atomic save and merge.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  desktopPreferencesFile,
  loadDesktopPreferences,
  saveDesktopPreferences,
  updateDesktopPreferences,
} from '../../../main/desktop/desktop-preferences.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir({ prefix: 'desktop-prefs-' });

describe('desktop preferences', () => {
  it('defaults when there is no file', async () => {
    expect(await loadDesktopPreferences(dir())).toEqual({ openAtLogin: false });
  });

  it('round-trips window state and start at login', async () => {
    const prefs = { window: { x: 10, y: 20, width: 900, height: 700, maximized: true }, openAtLogin: true };
    await saveDesktopPreferences(dir(), prefs);
    expect(await loadDesktopPreferences(dir())).toEqual(prefs);
    expect(JSON.parse(readFileSync(desktopPreferencesFile(dir()), 'utf8'))).toEqual(prefs);
  });

  it('keeps the valid fields of a damaged file and defaults the rest', async () => {
    writeFileSync(
      desktopPreferencesFile(dir()),
      JSON.stringify({ window: { x: 'left' }, openAtLogin: true }),
    );
    expect(await loadDesktopPreferences(dir())).toEqual({ openAtLogin: true });
    writeFileSync(desktopPreferencesFile(dir()), '{ truncated');
    expect(await loadDesktopPreferences(dir())).toEqual({ openAtLogin: false });
  });

  it('merges a change into what is stored', async () => {
    await saveDesktopPreferences(dir(), {
      window: { x: 1, y: 2, width: 800, height: 600, maximized: false },
      openAtLogin: false,
    });
    const next = await updateDesktopPreferences(dir(), { openAtLogin: true });
    expect(next.window?.width).toBe(800);
    expect(await loadDesktopPreferences(dir())).toEqual(next);
  });

  it('refuses to save invalid bounds', async () => {
    await expect(
      saveDesktopPreferences(dir(), {
        window: { x: 0, y: 0, width: -5, height: 10, maximized: false },
        openAtLogin: false,
      }),
    ).rejects.toThrow();
  });
});
