// Where the desktop app finds its built parts inside the package (sources, dist or the asar archive alike).
import { join } from 'node:path';

export interface DesktopPaths {
  /** The sandboxed preload, bundled into one CommonJS file by build/vite.preload.config.ts. */
  preload: string;
  /** The Vite build of the renderer, served on app://agent/. */
  renderer: string;
  /** Window and notification icon (shipped by electron-builder.yml `files`). */
  icon: string;
}

export function desktopPaths(packageRoot: string): DesktopPaths {
  return {
    preload: join(packageRoot, 'dist', 'preload', 'index.cjs'),
    renderer: join(packageRoot, 'dist', 'renderer'),
    icon: join(packageRoot, 'build', 'icons', '256x256.png'),
  };
}
