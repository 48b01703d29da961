// Who is calling the console: the session cookie, or the token as `Authorization: Bearer`; bad tokens are counted and limited per address.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { ConsoleSession, SessionStore } from './console-sessions.js';
import { tokensEqual } from './console-token.js';
import type { FailureLimiter } from './failure-limiter.js';
import { HttpError } from './http-response.js';

export type ConsoleLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface Caller {
  /** Absent for bearer-token calls (scripts): they act as viewer and cannot unlock admin. */
  session?: ConsoleSession;
  viaCookie: boolean;
}

export interface ConsoleAuthOptions {
  token: string;
  sessions: SessionStore;
  limiter: FailureLimiter;
  logger: ConsoleLogger;
}

const signInHint = 'open the link printed by `integration-agent console-url` (it signs this browser in)';

export const remoteOf = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';

export class ConsoleAuth {
  constructor(private readonly options: ConsoleAuthOptions) {}

  /** Throws 429 while the caller's address is blocked after too many failures. */
  assertNotBlocked(req: IncomingMessage, what = 'sign-in'): void {
    const waitMs = this.options.limiter.blockedForMs(remoteOf(req));
    if (waitMs > 0) throw tooMany(waitMs, what);
  }

  /** Counts a failed attempt of the caller's address, logs it, and throws 401 (or 429 once the limit is reached). */
  failed(req: IncomingMessage, what: string, error: HttpError): never {
    const remote = remoteOf(req);
    const waitMs = this.options.limiter.fail(remote);
    this.options.logger.warn({ remote, blocked: waitMs > 0 }, `console: ${what} failed`);
    if (waitMs > 0) throw tooMany(waitMs, what);
    throw error;
  }

  /** The token the console page exchanges for a session cookie (POST /api/session). */
  checkToken(req: IncomingMessage, given: unknown): void {
    this.assertNotBlocked(req);
    if (typeof given !== 'string' || !tokensEqual(given, this.options.token)) {
      this.failed(req, 'sign-in', unauthorized('the console token is wrong'));
    }
  }

  /** A cookie session or a valid bearer token; anything else is 401. */
  authenticate(req: IncomingMessage): Caller {
    const header = req.headers.authorization;
    if (header !== undefined) {
      this.assertNotBlocked(req);
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1] || !tokensEqual(match[1], this.options.token)) {
        this.failed(req, 'sign-in', unauthorized('the bearer token is wrong'));
      }
      return { viaCookie: false };
    }
    const session = this.options.sessions.fromRequest(req);
    if (!session) throw unauthorized('this browser is not signed in to the console (or its session expired)');
    return { session, viaCookie: true };
  }
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, 'forbidden', message, signInHint, {
    'WWW-Authenticate': 'Bearer realm="integration-agent"',
  });
}

function tooMany(waitMs: number, what: string): HttpError {
  const seconds = Math.ceil(waitMs / 1000);
  return new HttpError(
    429,
    'unavailable',
    `too many failed ${what} attempts from this address`,
    `wait ${seconds} s and try again`,
    { 'Retry-After': String(seconds) },
  );
}
