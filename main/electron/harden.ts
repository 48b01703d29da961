// Applies the desktop security decisions: permissions denied, non-app requests blocked, navigation and new windows refused.
import type { Session, WebContents } from 'electron';
import { contentSecurityPolicy } from '../desktop/app-assets.js';
import { navigationDecision, requestDecision } from '../desktop/app-origin.js';
import { permissionDecision } from '../desktop/permission-policy.js';

export function hardenSession(session: Session, onBlocked: (what: string, url: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = permissionDecision(permission, details.requestingUrl);
    if (!allowed) onBlocked(`permission ${permission}`, details.requestingUrl);
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionDecision(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const cancel = requestDecision(details.url) === 'deny';
    if (cancel) onBlocked('request', details.url);
    callback({ cancel });
  });
  // Belt and braces: app:// responses carry the CSP already; anything else that answers gets it too.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });
}

/** For every WebContents the app creates (window, devtools, anything): no leaving the app, no popups, no webviews. */
export function hardenContents(contents: WebContents, onBlocked: (what: string, url: string) => void): void {
  const guard = (event: { url: string; preventDefault(): void }) => {
    if (navigationDecision(event.url) === 'deny') {
      event.preventDefault();
      onBlocked('navigation', event.url);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onBlocked('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    onBlocked('window.open', url);
    return { action: 'deny' };
  });
}
