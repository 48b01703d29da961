// Electron main process (thin): hosts the engine and wires main/desktop's decisions to Electron: window, tray, notices, IPC.
import { app, dialog, ipcMain, session, shell, type BrowserWindow } from 'electron';
import type { AgentStatus } from '../../preload/contract/status.js';
import { createAgentHandlers } from '../api/agent-handlers.js';
import { createEngineBackend } from '../api/engine-backend.js';
import { resolveSetup } from '../commands/resolve-setup.js';
import { contractErrorOf } from '../console/error-shape.js';
import { isTrustedSenderUrl } from '../desktop/app-origin.js';
import { desktopPaths } from '../desktop/app-paths.js';
import {
  loadDesktopPreferences,
  updateDesktopPreferences,
  type WindowState,
} from '../desktop/desktop-preferences.js';
import { DesktopSession } from '../desktop/desktop-session.js';
import { desktopLaunchOptions } from '../desktop/launch-options.js';
import { connectionsToToggle, type TrayAction } from '../desktop/tray-menu.js';
import { hostAgent } from '../engine/host.js';
import { errorMessage } from '../shared/error-message.js';
import { packageRoot } from '../version.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { hardenContents, hardenSession } from './harden.js';
import { forwardAgentEvents, registerIpcHandlers } from './ipc.js';
import { applyOpenAtLogin } from './login-item.js';
import { createMainWindow, revealWindow } from './main-window.js';
import { DesktopNotifier } from './notifier.js';
import { AgentTray } from './tray.js';

registerAppScheme(); // before ready, or app:// is not a secure standard origin
const launch = desktopLaunchOptions(process.argv);
const paths = desktopPaths(packageRoot);
/** Electron sets login items on Windows and macOS; on Linux the app writes an XDG autostart file itself. */
const loginItemSupported = ['win32', 'darwin', 'linux'].includes(process.platform);

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit(); // the running instance shows its window (second-instance below)
    return;
  }
  await app.whenReady();
  let setup;
  let agent;
  try {
    setup = await resolveSetup({
      ...(launch.config ? { config: launch.config } : {}),
      ...(launch.dataDir ? { dataDir: launch.dataDir } : {}),
    });
    agent = await hostAgent({
      dataDir: setup.dataDir,
      ...(setup.config ? { config: setup.config } : {}),
      ...(setup.configFile ? { configFile: setup.configFile } : {}),
    });
  } catch (error) {
    dialog.showErrorBox('Integration Agent cannot start', errorMessage(error));
    app.exit(1);
    return;
  }
  const { engine } = agent;
  const dataDir = setup.dataDir;
  const log = engine.logger.child({ component: 'desktop' });
  const blocked = (what: string, url: string) =>
    log.warn({ what, url: url.slice(0, 200) }, 'blocked by the desktop security policy');

  hardenSession(session.defaultSession, blocked);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, blocked));
  serveRenderer(session.defaultSession, paths.renderer);

  const backend = createEngineBackend({
    engine,
    throughput: agent.observability.history,
    alerts: agent.observability.alerts,
    ...(setup.configFile ? { configFile: setup.configFile } : {}),
  });
  const handlers = createAgentHandlers(backend);
  const desktopSession = new DesktopSession();
  registerIpcHandlers(ipcMain, handlers, {
    isTrustedSender: (frame) => frame !== null && frame.parent === null && isTrustedSenderUrl(frame.url),
    role: () => desktopSession.role(),
    onRoleChange: (role) => desktopSession.change(role),
    onError: (error, method) => log.error({ err: error, method }, 'desktop call failed'),
  });

  let preferences = await loadDesktopPreferences(dataDir);
  const remember = (change: { window?: WindowState; openAtLogin?: boolean }) => {
    updateDesktopPreferences(dataDir, change).then(
      (next) => (preferences = next),
      (error: unknown) => log.warn({ err: error }, 'could not save the desktop preferences'),
    );
  };
  let quitting = false;
  let window: BrowserWindow | undefined;
  const openWindow = () => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow({
        preloadPath: paths.preload,
        iconPath: paths.icon,
        saved: preferences.window,
        saveState: (state) => remember({ window: state }),
        quitting: () => quitting,
      });
      forwardAgentEvents(handlers, window.webContents);
    }
    revealWindow(window);
  };
  app.on('second-instance', openWindow);
  app.on('activate', openWindow); // macOS dock click
  app.on('window-all-closed', () => {
    /* keep syncing in the tray */
  });

  const toggleAll = async (action: 'pause-all' | 'resume-all') => {
    const method = action === 'pause-all' ? 'pauseConnection' : 'resumeConnection';
    const callSession = { role: desktopSession.role(), actor: `${desktopSession.role()} (desktop tray)` };
    try {
      for (const id of connectionsToToggle(action, engine.status()))
        await handlers.call(method, { id }, callSession);
    } catch (error) {
      const shape = contractErrorOf(error);
      if (!shape) log.error({ err: error, action }, 'tray action failed');
      const message = shape
        ? `${shape.message}${shape.hint ? ` (${shape.hint})` : ''}`
        : 'The change failed; see the Activity page.';
      openWindow();
      void dialog.showMessageBox({ type: 'warning', title: 'Integration Agent', message });
    }
  };
  const onTrayAction = (action: TrayAction) => {
    switch (action) {
      case 'open':
        return openWindow();
      case 'open-inbox':
        if (agent.sandbox) void shell.openPath(agent.sandbox.inbox);
        return;
      case 'pause-all':
      case 'resume-all':
        return void toggleAll(action);
      case 'toggle-open-at-login': {
        const openAtLogin = !preferences.openAtLogin;
        preferences = { ...preferences, openAtLogin };
        remember({ openAtLogin });
        applyOpenAtLogin(openAtLogin).catch((error: unknown) =>
          log.warn({ err: error }, 'could not change start at login'),
        );
        return paint(engine.status());
      }
      case 'quit':
        return app.quit();
    }
  };
  const tray = new AgentTray(onTrayAction, openWindow);
  const notifier = new DesktopNotifier(paths.icon, openWindow);
  const paint = (status: AgentStatus) =>
    tray.paint({
      status,
      openAtLogin: preferences.openAtLogin,
      loginItemSupported,
      ...(agent.sandbox ? { sandboxInbox: agent.sandbox.inbox } : {}),
    });
  paint(engine.status());
  notifier.observe(engine.status());
  engine.onStatus((status) => {
    paint(status);
    notifier.observe(status);
  });
  if (!launch.hidden) openWindow();

  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    notifier.stop();
    backend.close();
    void agent
      .stop()
      .catch((error: unknown) => log.error({ err: error }, 'the agent did not stop cleanly'))
      .finally(() => {
        tray.destroy();
        app.exit(0);
      });
  });
}

void main();
