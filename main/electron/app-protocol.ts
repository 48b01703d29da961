// The app:// protocol: registered as a secure standard scheme before ready, serving only dist/renderer with CSP headers.
import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { appResponseHeaders, resolveAppAsset } from '../desktop/app-assets.js';
import { appScheme } from '../desktop/app-origin.js';

/** Must run before the app's ready event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves files of `rendererDir` (absolute) on app://agent/ in `session`; everything else answers 403/404. */
export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(appScheme, async (request) => {
    const resolved = resolveAppAsset(request.url, rendererDir);
    if ('status' in resolved) return new Response(null, { status: resolved.status });
    try {
      const body = await readFile(resolved.file);
      return new Response(body, { status: 200, headers: appResponseHeaders(resolved.file) });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}
