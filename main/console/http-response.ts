// HTTP answers of the web console: security headers on every response, JSON bodies and contract-shaped errors.
import type { ServerResponse } from 'node:http';
import type { ContractErrorCode, ContractErrorShape } from '../../preload/contract/api.js';

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "connect-src 'self'",
].join('; ');

/** A refusal the transport itself decides (auth, host, origin, size…), answered as `{ error: { code, message, hint } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ContractErrorCode,
    message: string,
    readonly hint?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Sets the headers every answer carries, pages and API alike. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: ContractErrorShape,
  headers: Record<string, string> = {},
): void {
  const body = { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  sendJson(res, status, { error: body }, headers);
}

export function sendHttpError(res: ServerResponse, error: HttpError): void {
  sendError(res, error.status, error, error.headers);
}

/** HTTP status for a contract error code. */
export function statusForCode(code: string): number {
  switch (code) {
    case 'invalid-argument':
      return 400;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'unavailable':
      return 503;
    default:
      return 500;
  }
}
