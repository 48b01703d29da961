// Sessions and sign-in limits: viewer by default, admin until idle, per-address failure limit with a pause.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SessionStore, sessionCookieName } from '../../../main/console/console-sessions.js';
import { FailureLimiter } from '../../../main/console/failure-limiter.js';

const requestWith = (cookie: string) => ({ headers: { cookie } }) as IncomingMessage;

describe('SessionStore', () => {
  it('finds a session by its cookie, starting as viewer', () => {
    const store = new SessionStore();
    const session = store.create();
    const cookie = store.cookie(session);
    expect(cookie).toMatch(
      new RegExp(`^${sessionCookieName}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`),
    );
    const found = store.fromRequest(requestWith(`other=1; ${cookie.split(';')[0]!}`));
    expect(found).toBe(session);
    expect(store.role(session)).toBe('viewer');
    expect(store.fromRequest(requestWith(`${sessionCookieName}=forged`))).toBeUndefined();
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
    const cookie = store.cookie(store.create()).split(';')[0]!;
    now = 999;
    expect(store.fromRequest(requestWith(cookie))).toBeDefined();
    now = 2000;
    expect(store.fromRequest(requestWith(cookie))).toBeUndefined();
  });
});

describe('FailureLimiter', () => {
  it('blocks an address after N failures in the window, others stay free, and it lifts after the window', () => {
    let now = 0;
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    expect(limiter.fail('a')).toBe(0);
    now = 10_000;
    expect(limiter.fail('a')).toBe(0);
    now = 20_000;
    expect(limiter.fail('a')).toBe(40_000); // the first failure leaves the window at 60 s
    expect(limiter.blockedForMs('b')).toBe(0);
    now = 59_999;
    expect(limiter.blockedForMs('a')).toBe(1);
    now = 60_000;
    expect(limiter.blockedForMs('a')).toBe(0);
  });
});
