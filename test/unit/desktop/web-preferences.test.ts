// The desktop window's webPreferences and permission policy: hardened, with the bundled CommonJS preload.
import { describe, expect, it } from 'vitest';
import { permissionDecision } from '../../../main/desktop/permission-policy.js';
import { secureWebPreferences } from '../../../main/desktop/web-preferences.js';

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the page with no Node anywhere and web security on', () => {
    expect(secureWebPreferences('/app/dist/preload/index.cjs')).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(secureWebPreferences('/p/index.cjs', { devTools: true }).devTools).toBe(true);
  });

  it('refuses an unbundled ESM preload, which a sandboxed renderer cannot load, and says how to build one', () => {
    expect(() => secureWebPreferences('/app/dist/preload/index.js')).toThrow(
      /build\/vite\.preload\.config\.ts/,
    );
  });
});

describe('permissionDecision', () => {
  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'openExternal',
    'fullscreen',
    'hid',
    'usb',
  ])('denies %s even to the app', (permission) => {
    expect(permissionDecision(permission, 'app://agent/index.html')).toBe(false);
  });

  it('lets only the app page write plain text to the clipboard', () => {
    expect(permissionDecision('clipboard-sanitized-write', 'app://agent/index.html')).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    expect(permissionDecision('clipboard-sanitized-write', undefined)).toBe(false);
  });
});
