// Serves the built renderer (dist/renderer) read-only: no path escapes the folder, no dotfiles, index.html for app routes.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from './http-response.js';
import { rendererContentType } from './content-types.js';

/** dist/renderer, from the compiled dist/main/console or from the sources under main/console. */
export function defaultStaticDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..', '..');
  return root.split(sep).at(-1) === 'dist' ? join(root, 'renderer') : join(root, 'dist', 'renderer');
}

const notFound = () => new HttpError(404, 'not-found', 'no such page', 'open / for the console');

/** Resolves a URL path inside `root`; throws 404 for anything outside it, hidden, or odd. */
async function resolveInside(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw notFound();
  }
  const segments = decoded.split(/[/\\]+/).filter((s) => s !== '');
  if (decoded.includes('\0') || segments.some((s) => s === '..' || s.startsWith('.'))) throw notFound();
  const realRoot = await realpath(root);
  let file: string;
  try {
    file = await realpath(join(realRoot, ...segments));
  } catch {
    return undefined;
  }
  if (!file.startsWith(realRoot + sep) && file !== realRoot) throw notFound();
  const info = await stat(file);
  return info.isFile() ? file : info.isDirectory() ? resolveInside(root, `${urlPath}/index.html`) : undefined;
}

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  urlPath: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new HttpError(405, 'invalid-argument', 'pages are read-only', 'use GET', { Allow: 'GET, HEAD' });
  }
  let file = await resolveInside(root, urlPath).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  // App routes (no file extension) get the page itself; missing assets stay 404.
  if (file === undefined && extname(urlPath) === '')
    file = await resolveInside(root, '/index.html').catch(() => undefined);
  if (file === undefined) {
    if (urlPath === '/') {
      throw new HttpError(
        503,
        'unavailable',
        `the console page is not built (no index.html in ${root})`,
        'run `npm run build`',
      );
    }
    throw notFound();
  }
  const info = await stat(file);
  res.writeHead(200, {
    'Content-Type': rendererContentType(file),
    'Content-Length': info.size,
    'Cache-Control': extname(file) === '.html' ? 'no-cache' : 'public, max-age=3600',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).on('end', resolve).pipe(res);
  });
}
