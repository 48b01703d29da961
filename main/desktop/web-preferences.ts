// The hardened webPreferences of the desktop window: isolated, sandboxed, no Node, web security on (main/electron only applies it).

/** The subset of Electron's WebPreferences the window sets; main/electron assigns it to Electron's own type. */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: false;
  devTools: boolean;
}

/** `preloadPath` must be the bundled CommonJS preload (sandboxed preloads cannot import local files). */
export function secureWebPreferences(
  preloadPath: string,
  options: { devTools?: boolean } = {},
): SecureWebPreferences {
  if (!preloadPath.endsWith('.cjs')) {
    throw new Error(
      `The preload script ${preloadPath} is not a bundled CommonJS file. Fix: build it with "vite build --config build/vite.preload.config.ts" (dist/preload/index.cjs).`,
    );
  }
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.devTools ?? false,
  };
}
