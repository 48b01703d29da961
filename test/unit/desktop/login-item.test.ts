// Start at login per platform: Electron login items on Windows/macOS, an XDG autostart file on Linux.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopExecPath, hiddenStartArg, loginItemPlan } from '../../../main/desktop/login-item.js';

describe('loginItemPlan', () => {
  it('uses Electron login items on Windows and macOS, started hidden in the tray', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      expect(
        loginItemPlan({ platform, openAtLogin: true, execPath: 'C:\\A\\agent.exe', configHome: '/x' }),
      ).toEqual({
        kind: 'login-item',
        settings: { openAtLogin: true, openAsHidden: true, path: 'C:\\A\\agent.exe', args: [hiddenStartArg] },
      });
    }
  });

  it('writes an XDG autostart entry on Linux with the executable quoted', () => {
    const plan = loginItemPlan({
      platform: 'linux',
      openAtLogin: true,
      execPath: '/opt/Integration agent/integration-agent',
      configHome: '/home/u/.config',
    });
    expect(plan.kind).toBe('xdg-autostart');
    if (plan.kind !== 'xdg-autostart') return;
    expect(plan.file).toBe(join('/home/u/.config', 'autostart', 'integration-agent.desktop'));
    expect(plan.content).toContain('[Desktop Entry]');
    expect(plan.content).toContain('Exec="/opt/Integration agent/integration-agent" --hidden\n');
  });

  it('removes the Linux entry when turned off', () => {
    const plan = loginItemPlan({
      platform: 'linux',
      openAtLogin: false,
      execPath: '/usr/bin/x',
      configHome: '/c',
    });
    expect(plan).toMatchObject({ kind: 'xdg-autostart', content: undefined });
  });

  it('escapes characters the desktop entry spec reserves', () => {
    const plan = loginItemPlan({
      platform: 'linux',
      openAtLogin: true,
      execPath: '/opt/a"$b/x',
      configHome: '/c',
    });
    expect(plan.kind === 'xdg-autostart' && plan.content).toContain('Exec="/opt/a\\"\\$b/x" --hidden');
  });

  it('starts an AppImage by its own path, not its temporary mount', () => {
    expect(desktopExecPath('/tmp/.mount_abc/agent', { APPIMAGE: '/home/u/Agent.AppImage' })).toBe(
      '/home/u/Agent.AppImage',
    );
    expect(desktopExecPath('/usr/bin/agent', {})).toBe('/usr/bin/agent');
  });
});
