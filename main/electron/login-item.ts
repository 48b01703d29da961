// Applies "start at login": Electron login items on Windows/macOS, the XDG autostart file on Linux.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { app } from 'electron';
import { desktopExecPath, loginItemPlan } from '../desktop/login-item.js';

export async function applyOpenAtLogin(openAtLogin: boolean): Promise<void> {
  const plan = loginItemPlan({
    platform: process.platform,
    openAtLogin,
    execPath: desktopExecPath(process.execPath, process.env),
    configHome: process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'),
  });
  if (plan.kind === 'login-item') {
    app.setLoginItemSettings(plan.settings);
    return;
  }
  if (plan.content === undefined) {
    await rm(plan.file, { force: true });
    return;
  }
  await mkdir(dirname(plan.file), { recursive: true });
  await writeFile(plan.file, plan.content, { mode: 0o644 });
}
