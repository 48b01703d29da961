// How "start at login" is applied per platform: Electron login items on Windows/macOS, an XDG autostart entry on Linux.
import { join } from 'node:path';

export type LoginItemPlan =
  | {
      kind: 'login-item';
      settings: { openAtLogin: boolean; openAsHidden: boolean; path: string; args: string[] };
    }
  | { kind: 'xdg-autostart'; file: string; content: string | undefined };

/** Started at login, the app opens to the tray only (no window in the user's face every morning). */
export const hiddenStartArg = '--hidden';

function desktopEntry(execPath: string, args: readonly string[]): string {
  const quote = (s: string) => (/[\s"'\\$`]/.test(s) ? `"${s.replace(/(["\\$`])/g, '\\$1')}"` : s);
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Integration agent',
    'Comment=Keeps the integration agent running in the tray',
    `Exec=${[execPath, ...args].map(quote).join(' ')}`,
    'Icon=integration-agent',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * `configHome` is $XDG_CONFIG_HOME or ~/.config. On Linux, Electron's setLoginItemSettings does nothing,
 * so the app writes (or removes, content undefined) ~/.config/autostart/integration-agent.desktop itself.
 */
export function loginItemPlan(input: {
  platform: NodeJS.Platform;
  openAtLogin: boolean;
  execPath: string;
  configHome: string;
}): LoginItemPlan {
  const args = [hiddenStartArg];
  if (input.platform === 'win32' || input.platform === 'darwin') {
    return {
      kind: 'login-item',
      settings: { openAtLogin: input.openAtLogin, openAsHidden: true, path: input.execPath, args },
    };
  }
  return {
    kind: 'xdg-autostart',
    file: join(input.configHome, 'autostart', 'integration-agent.desktop'),
    content: input.openAtLogin ? desktopEntry(input.execPath, args) : undefined,
  };
}

/** The file to start at login: an AppImage runs from a temporary mount, so its own path ($APPIMAGE) is the one to keep. */
export function desktopExecPath(execPath: string, env: NodeJS.ProcessEnv): string {
  return env.APPIMAGE ?? execPath;
}
