// Browser sessions of the web console: an HttpOnly cookie plus a header token the page holds (a stolen cookie alone is useless); admin after unlock until idle.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokensEqual } from './console-token.js';
import { requestUrl } from './request-url.js';

export type Role = 'viewer' | 'admin';

export interface ConsoleSession {
  readonly id: string;
  /** Sent by the page as X-Agent-Session (or ?session= for EventSource); browsers never attach it by themselves. */
  readonly headerToken: string;
  adminUntil?: number;
  lastSeenAt: number;
}

export interface SessionStoreOptions {
  /** Admin falls back to viewer after this long without an admin call (default 15 min). */
  adminIdleMs?: number;
  /** A session is forgotten after this long without any request (default 12 h). */
  idleMs?: number;
  now?: () => number;
}

export const sessionCookieName = 'agent_session';
export const sessionHeaderName = 'x-agent-session';
const maxSessions = 200;

export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly adminIdleMs: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.adminIdleMs = options.adminIdleMs ?? 15 * 60_000;
    this.idleMs = options.idleMs ?? 12 * 3_600_000;
    this.now = options.now ?? Date.now;
  }

  create(): ConsoleSession {
    const session: ConsoleSession = {
      id: randomBytes(32).toString('base64url'),
      headerToken: randomBytes(32).toString('base64url'),
      lastSeenAt: this.now(),
    };
    this.sessions.set(key(session.id), session);
    if (this.sessions.size > maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    return session;
  }

  /**
   * The live session named by the request's cookie AND proven by its header token, touched; undefined when either
   * is absent or wrong, or the session expired. Cookies reach every port of the host; the header token does not.
   */
  fromRequest(req: IncomingMessage): ConsoleSession | undefined {
    const id = readCookie(req, sessionCookieName);
    if (!id) return undefined;
    const session = this.sessions.get(key(id));
    if (!session) return undefined;
    const proof = headerTokenOf(req);
    if (proof === undefined || !tokensEqual(proof, session.headerToken)) return undefined;
    if (this.now() - session.lastSeenAt > this.idleMs) {
      this.sessions.delete(key(id));
      return undefined;
    }
    session.lastSeenAt = this.now();
    this.sessions.delete(key(id)); // keep the map in least-recently-used order
    this.sessions.set(key(id), session);
    return session;
  }

  /** The session's role now; `extend` (an admin call) restarts the admin idle period. */
  role(session: ConsoleSession, extend = false): Role {
    if (session.adminUntil === undefined) return 'viewer';
    if (this.now() >= session.adminUntil) {
      delete session.adminUntil;
      return 'viewer';
    }
    if (extend) session.adminUntil = this.now() + this.adminIdleMs;
    return 'admin';
  }

  unlockAdmin(session: ConsoleSession): number {
    session.adminUntil = this.now() + this.adminIdleMs;
    return session.adminUntil;
  }

  lockAdmin(session: ConsoleSession): void {
    delete session.adminUntil;
  }

  /** `secure`: the console runs on HTTPS, so the browser must never send the cookie over plain HTTP. */
  cookie(session: ConsoleSession, secure = false): string {
    return `${sessionCookieName}=${session.id}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }
}

/** Sessions are looked up by a hash of the id, so map lookups do not compare the secret itself. */
const key = (id: string) => createHash('sha256').update(id).digest('base64url');

/** X-Agent-Session, or the `session` query parameter of GET /api/events (EventSource cannot send headers). */
function headerTokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers[sessionHeaderName];
  if (typeof header === 'string') return header;
  if (req.method !== 'GET') return undefined;
  try {
    return requestUrl(req).searchParams.get('session') ?? undefined;
  } catch {
    return undefined;
  }
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [cookieName, ...value] = part.trim().split('=');
    if (cookieName === name) return value.join('=');
  }
  return undefined;
}
