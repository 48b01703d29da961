// The web console over a real Engine: token sign-in and its limit, Host/Origin guards, roles and admin unlock, SSE events.
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/agent-process.js';
import { UnlockLimiter } from '../../main/console/unlock-limiter.js';
import {
  adminPassphrase,
  bundleStandIn,
  sessionHeaders,
  useConsole,
  type ConsoleUnderTest,
} from './console-harness.js';

const start = useConsole('console-');

const errorOf = (answer: { json(): unknown }) =>
  (answer.json() as { error: { code: string; message: string } }).error;

describe('web console: sign-in', () => {
  it('refuses calls without the token (401, contract error shape, how to sign in)', async () => {
    const c = await start();
    const answer = await c.send('/api/call/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(errorOf(answer)).toMatchObject({
      code: 'forbidden',
      hint: expect.stringContaining('console-url'),
    });
    expect((await c.send('/api/events')).status).toBe(401);
  });

  it('answers a bearer-token script as viewer', async () => {
    const c = await start();
    const bearer = { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' };
    const status = await c.send('/api/call/status', { method: 'POST', headers: bearer, body: '{}' });
    expect(status.status).toBe(200);
    expect(status.headers['cache-control']).toBe('no-store');
    expect(status.json()).toMatchObject({ connections: [{ id: 'it' }] });
    const session = await c.send('/api/call/session', { method: 'POST', headers: bearer });
    expect(session.json()).toEqual({ role: 'viewer', adminPassphraseSet: true });
  });

  it('exchanges the token for an HttpOnly SameSite=Strict session cookie', async () => {
    const c = await start();
    const answer = await c.post('/api/session', { token: c.token }, '');
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']?.[0]).toMatch(
      /^agent_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const cookie = answer.headers['set-cookie']![0]!.split(';')[0]!;
    const { sessionToken } = answer.json() as { sessionToken: string };
    expect(sessionToken).toMatch(/^[\w-]{43}$/);
    const proven = { 'x-agent-session': sessionToken };
    expect((await c.post('/api/call/session', {}, cookie, proven)).json()).toMatchObject({ role: 'viewer' });
  });

  it('refuses a replayed cookie without the header token, even with a forged Origin (cookies reach every local port)', async () => {
    const c = await start();
    const signedIn = await c.signIn();
    const cookie = sessionHeaders(signedIn).cookie!;
    const replay = await c.post('/api/call/session', {}, cookie);
    expect(replay.status).toBe(401);
    const events = await c.send('/api/events', { headers: { cookie } });
    expect(events.status).toBe(401);
    const other = await c.signIn();
    const mixed = await c.post('/api/call/session', {}, cookie, {
      'x-agent-session': sessionHeaders(other)['x-agent-session']!,
    });
    expect(mixed.status).toBe(401);
    expect((await c.post('/api/call/session', {}, signedIn)).status).toBe(200);
  });

  it('pauses wrong tokens from any address (rotating 127.x) with 429 and Retry-After, yet always accepts the right token', async () => {
    const c = await start({ tokenLimits: { baseDelayMs: 60_000 } });
    const wrong = { authorization: 'Bearer not-the-token', 'content-type': 'application/json' };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const answer = await c.send('/api/call/status', {
        method: 'POST',
        headers: wrong,
        body: '{}',
        localAddress: `127.0.0.${i + 2}`,
      });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
    const right = await c.send('/api/call/status', {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(right.status).toBe(200);
    expect((await c.post('/api/session', { token: c.token }, '')).status).toBe(200);
    const paused = await c.post('/api/session', { token: 'still wrong' }, '', {});
    expect(paused.status).toBe(429);
    expect(Number(paused.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('web console: request guards', () => {
  it('refuses a foreign Host (DNS rebinding) with 421, even with the token', async () => {
    const c = await start();
    for (const host of [
      'evil.example',
      `evil.example:${c.console.port}`,
      '127.0.0.1:1',
      `[::1]:${c.console.port}`,
    ]) {
      const answer = await c.send('/', { headers: { host } });
      expect(answer.status, host).toBe(421);
    }
    expect((await c.send('/', { headers: { host: `localhost:${c.console.port}` } })).status).toBe(200);
  });

  it('refuses a foreign Origin and cross-site fetches (CSRF) with 403', async () => {
    const c = await start();
    const cookie = await c.signIn();
    expect((await c.post('/api/call/status', {}, cookie, { origin: 'http://evil.example' })).status).toBe(
      403,
    );
    expect((await c.post('/api/call/status', {}, cookie, { 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    expect((await c.post('/api/session', { token: c.token }, '', { origin: 'null' })).status).toBe(403);
    // A cookie alone is not enough for a state change: the browser must say where the request came from.
    const noOrigin = await c.send('/api/call/status', {
      method: 'POST',
      headers: { ...sessionHeaders(cookie), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noOrigin.status).toBe(403);
  });

  it('accepts calls only as JSON POSTs', async () => {
    const c = await start();
    const cookie = await c.signIn();
    const form = await c.post('/api/call/status', {}, cookie, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    const get = await c.send('/api/call/status', { headers: sessionHeaders(cookie) });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('answers bad JSON with 400 and the reason, an oversized body with 413, an unknown method with 400', async () => {
    const c = await start({ bodyLimitBytes: 1024 });
    const cookie = await c.signIn();
    const headers = { ...sessionHeaders(cookie), origin: c.origin, 'content-type': 'application/json' };
    const bad = await c.send('/api/call/status', { method: 'POST', headers, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/not valid JSON/),
    });
    const big = await c.send('/api/call/searchRecords', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: 'x'.repeat(2000) }),
    });
    expect(big.status).toBe(413);
    const unknown = await c.post('/api/call/dropDatabase', {}, cookie);
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).message).toMatch(/unknown method/);
  });
});

describe('web console: roles', () => {
  const replay = (c: ConsoleUnderTest, cookie: string) =>
    c.post('/api/call/replayDeadLetters', { ids: [7] }, cookie);

  it('a viewer cannot replay dead letters (403 forbidden); bearer scripts cannot unlock admin', async () => {
    const c = await start();
    const cookie = await c.signIn();
    const answer = await replay(c, cookie);
    expect(answer.status).toBe(403);
    expect(errorOf(answer).code).toBe('forbidden');
    const bearer = await c.send('/api/call/unlockAdmin', {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ passphrase: adminPassphrase }),
    });
    expect(bearer.status).toBe(403);
    expect(c.replayed).toEqual([]);
  });

  it('a wrong passphrase is refused; the right one makes THIS session admin until it locks again', async () => {
    const c = await start();
    const cookie = await c.signIn();
    const other = await c.signIn();
    const wrong = await c.post('/api/call/unlockAdmin', { passphrase: 'not the passphrase' }, cookie);
    expect(wrong.status).toBe(403);
    expect(errorOf(wrong).message).toMatch(/passphrase is wrong/);
    const right = await c.post('/api/call/unlockAdmin', { passphrase: adminPassphrase }, cookie);
    expect(right.status).toBe(200);
    expect(right.json()).toEqual({ role: 'admin' });
    expect((await c.post('/api/call/session', {}, cookie)).json()).toMatchObject({ role: 'admin' });
    expect((await replay(c, cookie)).json()).toEqual({ done: [7], skipped: [] });
    expect((await replay(c, other)).status).toBe(403);
    expect((await c.post('/api/call/lockAdmin', {}, cookie)).json()).toEqual({ role: 'viewer' });
    expect((await replay(c, cookie)).status).toBe(403);
    expect(c.replayed).toEqual([[7]]);
  });

  it('streams a support bundle as an attachment to an admin session only', async () => {
    const c = await start();
    const path = '/api/download/diagnostics';
    const json = { 'content-type': 'application/json', origin: c.origin };
    expect((await c.send(path, { method: 'POST', headers: json, body: '{}' })).status).toBe(401);
    const bearer = { authorization: `Bearer ${c.token}` };
    expect((await c.send(path, { method: 'GET', headers: bearer })).status).toBe(405);
    const cookie = await c.signIn();
    const viewer = await c.post(path, {}, cookie);
    expect(viewer.status).toBe(403);
    expect(errorOf(viewer).message).toBe('exportDiagnostics changes the agent and needs the admin role');
    await c.post('/api/call/unlockAdmin', { passphrase: adminPassphrase }, cookie);
    const answer = await c.post(path, {}, cookie);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/zip');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="diagnostics-test.zip"');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.text).toBe(bundleStandIn);
    expect(decodeURIComponent(String(answer.headers['x-bundle-saved-to']))).toBe(
      join(c.dataDir, 'diagnostics', 'diagnostics-test.zip'),
    );
  });

  it('the session call says when the admin role lapses, so the page can show the time left', async () => {
    const c = await start({ adminIdleMs: 60_000 });
    const cookie = await c.signIn();
    expect((await c.post('/api/call/session', {}, cookie)).json()).not.toHaveProperty('adminUntil');
    const before = Date.now();
    await c.post('/api/call/unlockAdmin', { passphrase: adminPassphrase }, cookie);
    const session = (await c.post('/api/call/session', {}, cookie)).json() as { adminUntil: number };
    expect(session).toMatchObject({ role: 'admin' });
    expect(session.adminUntil).toBeGreaterThanOrEqual(before + 60_000);
    await c.post('/api/call/lockAdmin', {}, cookie);
    expect((await c.post('/api/call/session', {}, cookie)).json()).not.toHaveProperty('adminUntil');
  });

  it('admin falls back to viewer after the idle period', async () => {
    const c = await start({ adminIdleMs: 300 });
    const cookie = await c.signIn();
    await c.post('/api/call/unlockAdmin', { passphrase: adminPassphrase }, cookie);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await replay(c, cookie)).status).toBe(403);
  });

  it('wrong passphrases pause THIS session after 5, other sessions stay free until all sessions together reach the limit', async () => {
    const c = await start({
      unlockLimiter: new UnlockLimiter({
        perSession: { baseDelayMs: 60_000 },
        global: { freeFailures: 7, baseDelayMs: 60_000 },
      }),
    });
    const guess = (cookie: string, passphrase = 'wrong passphrase!') =>
      c.post('/api/call/unlockAdmin', { passphrase }, cookie).then((answer) => answer.status);
    const guesser = await c.signIn();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push(await guess(guesser));
    expect(statuses).toEqual([403, 403, 403, 403, 403, 403, 429]);
    expect(await guess(guesser, adminPassphrase)).toBe(429);
    const admin = await c.signIn();
    expect(await guess(admin, adminPassphrase)).toBe(200);
    // Fresh sessions do not reset the count for the agent as a whole.
    for (const cookie of [await c.signIn(), await c.signIn()]) expect(await guess(cookie)).toBe(403);
    const late = await c.signIn();
    const paused = await c.post('/api/call/unlockAdmin', { passphrase: adminPassphrase }, late);
    expect(paused.status).toBe(429);
    expect(Number(paused.headers['retry-after'])).toBeGreaterThan(0);
    expect(errorOf(paused).message).toMatch(/too many wrong admin passphrases/);
  });
});

describe('web console: events', () => {
  it('streams status events (the current one first, then changes) with heartbeats, and unsubscribes on disconnect', async () => {
    const c = await start();
    const cookie = await c.signIn();
    let text = '';
    const req = request({
      host: '127.0.0.1',
      port: c.console.port,
      path: '/api/events',
      headers: { host: c.host, ...sessionHeaders(cookie), accept: 'text/event-stream' },
    });
    const response = new Promise<string | undefined>((resolve) =>
      req.on('response', (res) => {
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        resolve(res.headers['content-type']);
      }),
    );
    req.on('error', () => undefined);
    req.end();
    expect(await response).toMatch(/^text\/event-stream/);
    await waitFor(
      () => /event: status\ndata: \{.*"connections"/.test(text) && text.includes(': heartbeat'),
      5000,
      'first status and a heartbeat',
    );
    expect(c.subscribers()).toBe(1);
    writeFileSync(`${c.inbox}/a.json`, '{"a":1}');
    await waitFor(() => (text.match(/event: status\n/g) ?? []).length >= 2, 10_000, 'a status change');
    req.destroy();
    await waitFor(() => c.subscribers() === 0, 5000, 'the stream to unsubscribe');
  });
});
