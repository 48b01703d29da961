// The one app window: hardened webPreferences, bounds remembered in the data dir, hides to the tray when closed.
import { BrowserWindow, screen, type WebPreferences } from 'electron';
import { appEntryUrl } from '../desktop/app-origin.js';
import type { WindowState } from '../desktop/desktop-preferences.js';
import { secureWebPreferences } from '../desktop/web-preferences.js';
import { clampWindowBounds, minimumWindowSize } from '../desktop/window-bounds.js';

export interface MainWindowOptions {
  preloadPath: string;
  iconPath: string;
  saved: WindowState | undefined;
  /** Called (debounced) with the bounds to remember after a move, resize, maximize or close. */
  saveState(state: WindowState): void;
  /** True once the app is quitting: then close really closes instead of hiding to the tray. */
  quitting(): boolean;
}

const saveDelayMs = 500;

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const displays = screen.getAllDisplays();
  const primaryId = screen.getPrimaryDisplay().id;
  const bounds = clampWindowBounds(
    options.saved,
    displays.map((d) => ({ workArea: d.workArea, primary: d.id === primaryId })),
  );
  const webPreferences: WebPreferences = secureWebPreferences(options.preloadPath);
  const window = new BrowserWindow({
    ...bounds,
    minWidth: minimumWindowSize.width,
    minHeight: minimumWindowSize.height,
    show: false,
    title: 'Integration Agent',
    icon: options.iconPath,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences,
  });
  if (options.saved?.maximized) window.maximize();

  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (window.isDestroyed()) return;
    const { x, y, width, height } = window.getNormalBounds();
    options.saveState({ x, y, width, height, maximized: window.isMaximized() });
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, saveDelayMs);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);
  window.on('close', (event) => {
    save();
    if (options.quitting()) return;
    event.preventDefault(); // keep syncing in the tray
    window.hide();
  });
  void window.loadURL(appEntryUrl);
  return window;
}

/** Shows, restores and focuses the window (second launch, tray "Open", notification click). */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
