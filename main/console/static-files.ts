// Serves the built renderer (dist/renderer) read-only: no path escapes the folder, no dotfiles, index.html for app routes.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from './http-response.js';
import { rendererContentType } from './content-types.js';
import { ConsolePage } from './console-page.js';

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

/** The renderer folder, and its page held in memory (see console-page.ts). */
export interface StaticSite {
  root: string;
  page: ConsolePage;
}

export function staticSite(root: string): StaticSite {
  return { root, page: new ConsolePage(() => resolveInside(root, '/index.html')) };
}

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  site: StaticSite,
  urlPath: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new HttpError(405, 'invalid-argument', 'pages are read-only', 'use GET', { Allow: 'GET, HEAD' });
  }
  const file =
    urlPath === '/'
      ? undefined
      : await resolveInside(site.root, urlPath).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw error;
        });
  if (file !== undefined) return sendFile(req, res, file);
  // The page itself, and app routes (no file extension) get it too; missing assets stay 404.
  if (urlPath !== '/' && extname(urlPath) !== '') throw notFound();
  const page = await site.page.current();
  if (page === undefined) {
    if (urlPath !== '/') throw notFound();
    throw new HttpError(
      503,
      'unavailable',
      `the console page is not built (no index.html in ${site.root})`,
      'run `npm run build`',
    );
  }
  res.writeHead(200, {
    'Content-Type': rendererContentType('index.html'),
    'Content-Length': page.length,
    'Cache-Control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : page);
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
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
