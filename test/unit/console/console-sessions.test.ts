// Sessions and sign-in limits: cookie plus header token, viewer by default, admin until idle, doubling waits after failures.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  SessionStore,
  sessionCookieName,
  sessionHeaderName,
} from '../../../main/console/console-sessions.js';
import { FailureLimiter } from '../../../main/console/failure-limiter.js';

const requestWith = (cookie: string, proof?: string, url = '/api/call/status', method = 'POST') =>
  ({
    method,
    url,
    headers: { cookie, ...(proof === undefined ? {} : { [sessionHeaderName]: proof }) },
  }) as unknown as IncomingMessage;

describe('SessionStore', () => {
  it('finds a session by its cookie, starting as viewer', () => {
    const store = new SessionStore();
    const session = store.create();
    const cookie = store.cookie(session);
    expect(cookie).toMatch(
      new RegExp(`^${sessionCookieName}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`),
    );
    const found = store.fromRequest(requestWith(`other=1; ${cookie.split(';')[0]!}`, session.headerToken));
    expect(found).toBe(session);
    expect(store.role(session)).toBe('viewer');
    expect(
      store.fromRequest(requestWith(`${sessionCookieName}=forged`, session.headerToken)),
    ).toBeUndefined();
  });

  it('refuses the cookie alone (other local ports receive it too): the header token the page holds is required', () => {
    const store = new SessionStore();
    const session = store.create();
    const cookie = store.cookie(session).split(';')[0]!;
    expect(store.fromRequest(requestWith(cookie))).toBeUndefined();
    expect(store.fromRequest(requestWith(cookie, 'a-guess'))).toBeUndefined();
    expect(store.fromRequest(requestWith(cookie, store.create().headerToken))).toBeUndefined();
    const events = `/api/events?session=${session.headerToken}`;
    expect(store.fromRequest(requestWith(cookie, undefined, events, 'GET'))).toBe(session);
    expect(store.fromRequest(requestWith(cookie, undefined, events, 'POST'))).toBeUndefined();
  });

  it('drops admin after the idle period; admin calls extend it, other calls do not', () => {
    let now = 0;
    const store = new SessionStore({ adminIdleMs: 1000, now: () => now });
    const session = store.create();
    store.unlockAdmin(session);
    now = 900;
    expect(store.role(session, true)).toBe('admin'); // admin call: until 1900
    now = 1800;
    expect(store.role(session)).toBe('admin'); // viewer call: does not extend
    now = 1900;
    expect(store.role(session)).toBe('viewer');
    store.unlockAdmin(session);
    store.lockAdmin(session);
    expect(store.role(session)).toBe('viewer');
  });

  it('forgets idle sessions', () => {
    let now = 0;
    const store = new SessionStore({ idleMs: 1000, now: () => now });
    const session = store.create();
    const cookie = store.cookie(session).split(';')[0]!;
    now = 999;
    expect(store.fromRequest(requestWith(cookie, session.headerToken))).toBeDefined();
    now = 2000;
    expect(store.fromRequest(requestWith(cookie, session.headerToken))).toBeUndefined();
  });
});

describe('FailureLimiter', () => {
  it('lets the free failures through, then doubles the wait with each further failure, per key', () => {
    let now = 0;
    const limiter = new FailureLimiter({
      freeFailures: 2,
      baseDelayMs: 1000,
      maxDelayMs: 4000,
      now: () => now,
    });
    expect(limiter.fail('a')).toBe(0);
    expect(limiter.fail('a')).toBe(0);
    expect(limiter.fail('a')).toBe(1000);
    expect(limiter.blockedForMs('b')).toBe(0);
    expect(limiter.blockedForMs('b', 'a')).toBe(1000);
    now = 1000;
    expect(limiter.blockedForMs('a')).toBe(0);
    expect(limiter.fail('a')).toBe(2000);
    now = 3000;
    expect(limiter.fail('a')).toBe(4000);
    now = 7000;
    expect(limiter.fail('a')).toBe(4000); // capped
    limiter.succeed('a');
    expect(limiter.fail('a')).toBe(0);
  });

  it('forgets a key after a quiet period', () => {
    let now = 0;
    const limiter = new FailureLimiter({ freeFailures: 1, forgetAfterMs: 10_000, now: () => now });
    limiter.fail('a');
    expect(limiter.fail('a')).toBe(1000);
    now = 11_001;
    expect(limiter.fail('a')).toBe(0);
  });
});
