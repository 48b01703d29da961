// The tray icon: its colour follows overall health (engine/tray-appearance), its menu comes from desktop/tray-menu.
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { AgentStatus } from '../../preload/contract/status.js';
import { trayMenuModel, type TrayAction, type TrayMenuInput } from '../desktop/tray-menu.js';
import { trayAppearance } from '../engine/tray-appearance.js';

export class AgentTray {
  private tray: Tray | undefined;

  constructor(
    private readonly onAction: (action: TrayAction) => void,
    private readonly onClick: () => void,
  ) {}

  paint(input: TrayMenuInput & { status: AgentStatus }): void {
    const look = trayAppearance(input.status);
    const image = nativeImage.createFromBitmap(look.bitmap, { width: look.size, height: look.size });
    if (!this.tray) {
      this.tray = new Tray(image);
      this.tray.on('click', this.onClick);
    }
    this.tray.setImage(image);
    this.tray.setToolTip(look.tooltip);
    const template: MenuItemConstructorOptions[] = trayMenuModel(input).map((entry) => {
      switch (entry.type) {
        case 'label':
          return { label: entry.label, enabled: false };
        case 'separator':
          return { type: 'separator' };
        case 'action':
          return {
            label: entry.label,
            enabled: entry.enabled,
            ...(entry.checked !== undefined ? { type: 'checkbox', checked: entry.checked } : {}),
            click: () => this.onAction(entry.action),
          };
      }
    });
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = undefined;
  }
}
