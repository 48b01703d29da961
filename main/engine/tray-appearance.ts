// What the desktop tray shows for a status: a colour per health and a tooltip (pure; the Electron shell only paints it).
import type { AgentStatus, OverallHealth } from '../../preload/contract/status.js';

export const healthColours: Record<OverallHealth, readonly [number, number, number]> = {
  'in-sync': [46, 160, 67],
  'catching-up': [31, 111, 235],
  attention: [210, 153, 34],
  stopped: [110, 118, 129],
};

export interface TrayAppearance {
  /** Square bitmap in BGRA order, as Electron's nativeImage.createFromBitmap expects. */
  bitmap: Buffer;
  size: number;
  tooltip: string;
}

export function trayAppearance(status: AgentStatus, size = 16): TrayAppearance {
  const [r, g, b] = healthColours[status.health];
  const bitmap = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const inside = (x - centre) ** 2 + (y - centre) ** 2 <= (size / 2) ** 2;
      bitmap.set(inside ? [b, g, r, 255] : [0, 0, 0, 0], (y * size + x) * 4);
    }
  }
  const prefix = status.sandbox ? 'Integration agent (sandbox)' : 'Integration agent';
  return { bitmap, size, tooltip: `${prefix}: ${status.summary}`.slice(0, 127) };
}
