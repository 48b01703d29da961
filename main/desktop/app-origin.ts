// The desktop window's only origin (app://agent) and the URL checks built on it: navigation, requests, IPC senders.

export const appScheme = 'app';
export const appHost = 'agent';
export const appOrigin = `${appScheme}://${appHost}`;
/** What the window loads: the built renderer, served by the app:// protocol handler. */
export const appEntryUrl = `${appOrigin}/index.html`;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True only for app://agent/… URLs (no credentials, no port): the built renderer and nothing else. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== undefined &&
    parsed.protocol === `${appScheme}:` &&
    parsed.hostname === appHost &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

export type UrlDecision = 'allow' | 'deny';

/** will-navigate / will-redirect: the page may move within the app (routes), never to anything else. */
export function navigationDecision(url: string): UrlDecision {
  return isAppUrl(url) ? 'allow' : 'deny';
}

/** Inline data the page itself produced (images, downloads of exports) is not remote content. */
const localSchemes = new Set(['data:', 'blob:', 'devtools:']);

/** Every request the session makes: app:// and local data only; http(s), ws(s), file: and the rest are refused. */
export function requestDecision(url: string): UrlDecision {
  if (isAppUrl(url)) return 'allow';
  const parsed = parse(url);
  return parsed !== undefined && localSchemes.has(parsed.protocol) ? 'allow' : 'deny';
}

/** IPC calls are answered only for the app's own top-level page, never for a frame from elsewhere. */
export function isTrustedSenderUrl(url: string | undefined): boolean {
  return url !== undefined && isAppUrl(url);
}
