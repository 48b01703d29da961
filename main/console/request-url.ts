// The URL of a console request, parsed without surprises: any path, even `//` or `/\`, is a path, never a host.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-response.js';

const base = 'http://console.invalid';

/**
 * The request target as a URL. A path (origin form) is always read as a path: `new URL('//', base)` would take it
 * for a host and throw. An absolute URL (from a proxy) is read as it is; anything else is a 400.
 */
export function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  try {
    return target.startsWith('/') ? new URL(`${base}${target}`) : new URL(target);
  } catch {
    throw new HttpError(
      400,
      'invalid-argument',
      'the request target is not a path or URL',
      'request a path such as / or /api/call/status',
    );
  }
}
