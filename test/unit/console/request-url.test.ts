// Console request targets: paths that WHATWG URL parsing would take for a host (// and /\) stay paths.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../../main/console/console-sessions.js';
import { HttpError } from '../../../main/console/http-response.js';
import { requestUrl } from '../../../main/console/request-url.js';

const request = (url: string, headers: Record<string, string> = {}) =>
  ({ url, method: 'GET', headers }) as unknown as IncomingMessage;

describe('requestUrl (fuzz seeds "//" and "/\\\\")', () => {
  it('reads // and /\\ as paths instead of throwing a TypeError', () => {
    expect(requestUrl(request('//')).pathname).toBe('//');
    expect(requestUrl(request('/\\')).pathname).toBe('//');
    expect(requestUrl(request('//evil.example/x?session=a')).pathname).toBe('//evil.example/x');
    expect(requestUrl(request('/api/events?session=abc')).searchParams.get('session')).toBe('abc');
    expect(requestUrl(request('http://127.0.0.1:4517/api/events')).pathname).toBe('/api/events');
  });

  it('refuses a target that is neither a path nor a URL with a 400', () => {
    expect(() => requestUrl(request('*'))).toThrow(HttpError);
    expect(() => requestUrl(request('*'))).toThrow(/not a path or URL/);
  });

  it('a session lookup on such a target finds no session rather than crashing', () => {
    const store = new SessionStore();
    const session = store.create();
    const cookie = `agent_session=${session.id}`;
    expect(store.fromRequest(request('//', { cookie }))).toBeUndefined();
    expect(store.fromRequest(request(`//?session=${session.headerToken}`, { cookie }))).toBe(session);
  });
});
