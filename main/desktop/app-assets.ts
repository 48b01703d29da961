// Maps app://agent/… requests to files of the built renderer (no escape from its folder) with their headers and CSP.
import { extname, join, normalize, sep } from 'node:path';
import { isAppUrl } from './app-origin.js';
import { rendererContentType } from '../console/content-types.js';

/** The policy every app:// response carries: only the app's own scripts, no inline script, no remote anything. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // React/recharts set style attributes
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
].join('; ');

export type AssetResolution = { file: string } | { status: 400 | 403 | 404 };

/**
 * `rootDir` is the absolute dist/renderer folder. A path without an extension is a client-side route and
 * gets index.html; anything that would leave rootDir (../, encoded slashes, backslashes) is refused.
 */
export function resolveAppAsset(url: string, rootDir: string): AssetResolution {
  if (!isAppUrl(url)) return { status: 403 };
  const { pathname } = new URL(url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) {
    return { status: 403 };
  }
  const relative = decoded === '/' || extname(decoded) === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = normalize(rootDir);
  const file = normalize(join(root, relative));
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return { status: 403 };
  return { file };
}

export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'content-type': rendererContentType(file),
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}
