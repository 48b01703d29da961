// Electron main process (thin): single instance, hosts the engine, tray icon coloured by health with a small menu.
import { app, dialog, Menu, nativeImage, shell, Tray } from 'electron';
import { resolveSetup } from '../commands/resolve-setup.js';
import { hostAgent, type HostedAgent } from '../engine/host.js';
import { trayAppearance } from '../engine/tray-appearance.js';
import type { AgentStatus } from '../../preload/contract/status.js';

let tray: Tray | undefined;
let agent: HostedAgent | undefined;

function paint(status: AgentStatus): void {
  const look = trayAppearance(status);
  const image = nativeImage.createFromBitmap(look.bitmap, { width: look.size, height: look.size });
  tray ??= new Tray(image);
  tray.setImage(image);
  tray.setToolTip(look.tooltip);
  const inbox = agent?.sandbox?.inbox;
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: status.summary, enabled: false },
      ...(inbox ? [{ label: 'Open sandbox inbox folder', click: () => void shell.openPath(inbox) }] : []),
      { type: 'separator' as const },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  try {
    const setup = await resolveSetup({});
    agent = await hostAgent({ dataDir: setup.dataDir, ...(setup.config ? { config: setup.config } : {}) });
  } catch (error) {
    dialog.showErrorBox(
      'Integration agent cannot start',
      error instanceof Error ? error.message : String(error),
    );
    app.exit(1);
    return;
  }
  paint(agent.engine.status());
  agent.engine.onStatus(paint);
  app.on('window-all-closed', () => {
    /* stay in the tray */
  });
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping || !agent) return;
    event.preventDefault();
    stopping = true;
    void agent.stop().finally(() => app.exit(0));
  });
}

void main();
