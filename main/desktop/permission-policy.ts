// Which web permissions the desktop page gets: none, except writing plain text to the clipboard from the app itself.
import { isAppUrl } from './app-origin.js';

/** "Copy record id" in the UI; reading the clipboard, camera, notifications, geolocation… are all refused. */
const grantedToApp = new Set(['clipboard-sanitized-write']);

/** For setPermissionRequestHandler and setPermissionCheckHandler alike. */
export function permissionDecision(permission: string, requestingUrl: string | undefined): boolean {
  return grantedToApp.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
}
