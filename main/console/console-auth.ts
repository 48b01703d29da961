// Who is calling the console: the session cookie, or the token as `Authorization: Bearer`; wrong tokens are counted for the whole console, never per address.
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

const signInKey = 'sign-in';
const signInHint = 'open the link printed by `integration-agent console-url` (it signs this browser in)';

export const remoteOf = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';

export class ConsoleAuth {
  constructor(private readonly options: ConsoleAuthOptions) {}

  /**
   * Counts a wrong token for the whole console (any local process can use any 127.0.0.0/8 address, so addresses
   * prove nothing), logs it, and throws 401, or 429 while wrong tokens are paused. The right token is never refused.
   */
  private wrongToken(req: IncomingMessage, message: string): never {
    const paused = this.options.limiter.blockedForMs(signInKey);
    const waitMs = paused > 0 ? paused : this.options.limiter.fail(signInKey);
    this.options.logger.warn({ remote: remoteOf(req), blocked: waitMs > 0 }, 'console: sign-in failed');
    if (waitMs > 0) throw tooMany(waitMs);
    throw unauthorized(message);
  }

  /** The token the console page exchanges for a session cookie (POST /api/session). */
  checkToken(req: IncomingMessage, given: unknown): void {
    if (typeof given !== 'string' || !tokensEqual(given, this.options.token)) {
      this.wrongToken(req, 'the console token is wrong');
    }
  }

  /** A cookie session or a valid bearer token; anything else is 401. */
  authenticate(req: IncomingMessage): Caller {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1] || !tokensEqual(match[1], this.options.token)) {
        this.wrongToken(req, 'the bearer token is wrong');
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

/** 429 with Retry-After: wrong tokens (or wrong admin passphrases) are paused for a while. */
export function tooMany(
  waitMs: number,
  message = 'too many wrong console tokens; sign-in with a wrong token is paused',
): HttpError {
  const seconds = Math.ceil(waitMs / 1000);
  return new HttpError(429, 'unavailable', message, `wait ${seconds} s and try again`, {
    'Retry-After': String(seconds),
  });
}
