// The renderer's web console client with a fake fetch and EventSource: sign-in from the fragment, calls, error shapes, events with reconnect.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agentMethodNames } from '../../../preload/contract/api.js';
import { createConsoleClient } from '../../../renderer/src/transport/console-client.js';
import { LinkState, type Link } from '../../../renderer/src/transport/link-state.js';

class FakeEventSource {
  static created: FakeEventSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((message: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.created.push(this);
  }
  addEventListener(name: string, listener: (message: { data: string }) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  emit(name: string, data: string) {
    for (const listener of this.listeners.get(name) ?? []) listener({ data });
  }
  fail() {
    this.readyState = 2;
    this.onerror?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 0; // the browser retries by itself
    this.onerror?.();
  }
  close() {
    this.closed = true;
  }
}

type Sent = { url: string; body: string; session?: string };

function setUp(
  hash = '',
  answer: (url: string) => Response | Promise<Response> = () => Response.json({}),
  stored = new Map<string, string>(),
  link?: LinkState,
) {
  FakeEventSource.created = [];
  const sent: Sent[] = [];
  const replaceState = vi.fn();
  const client = createConsoleClient('', {
    fetch: async (input, init) => {
      const url = input as string;
      const session = (init?.headers as Record<string, string>)['X-Agent-Session'];
      sent.push({ url, body: init?.body as string, ...(session ? { session } : {}) });
      return answer(url);
    },
    createEventSource: (url) => new FakeEventSource(url) as unknown as EventSource,
    location: { hash, pathname: '/records', search: '?q=1' },
    history: { replaceState },
    storage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v) },
    initialBackoffMs: 100,
    maxBackoffMs: 1000,
    ...(link ? { link } : {}),
  });
  return { client, sent, replaceState, stored };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('console client', () => {
  it('has exactly the contract methods plus on and the bundle download', () => {
    expect(Object.keys(setUp().client).sort()).toEqual([...agentMethodNames, 'downloadBundle', 'on'].sort());
  });

  it('downloads a bundle with the session header: the zip, its file name and where the agent keeps a copy', async () => {
    const zip = new Uint8Array([0x50, 0x4b, 3, 4]);
    const { client, sent } = setUp('#token=t', (url) =>
      url === '/api/session'
        ? Response.json({ role: 'viewer', sessionToken: 's-1' })
        : new Response(zip, {
            headers: {
              'Content-Type': 'application/zip',
              'Content-Disposition':
                'attachment; filename="diagnostics-0123456789ab-2026-12-03T09-00-00-000Z.zip"',
              'X-Bundle-Saved-To': encodeURIComponent('/data/diagnostics/x y.zip'),
            },
          }),
    );
    const bundle = await client.downloadBundle();
    expect(sent.at(-1)).toEqual({ url: '/api/download/diagnostics', body: '{}', session: 's-1' });
    expect(bundle.fileName).toBe('diagnostics-0123456789ab-2026-12-03T09-00-00-000Z.zip');
    expect(bundle.savedTo).toBe('/data/diagnostics/x y.zip');
    expect(new Uint8Array(await bundle.blob.arrayBuffer())).toEqual(zip);
  });

  it('a refused bundle download rejects with the contract error; a lost session signs the page out', async () => {
    const link = new LinkState();
    const refusal = {
      code: 'forbidden',
      message: 'exportDiagnostics changes the agent and needs the admin role',
    };
    const { client } = setUp('', () => Response.json({ error: refusal }, { status: 403 }), new Map(), link);
    await expect(client.downloadBundle()).rejects.toEqual(refusal);
    expect(link.current).not.toBe('signed-out');
    const gone = setUp(
      '',
      () => Response.json({ error: { code: 'unauthorized', message: 'sign in' } }, { status: 401 }),
      new Map(),
      link,
    );
    await expect(gone.client.downloadBundle()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(link.current).toBe('signed-out');
  });

  it('takes the token out of the address bar, signs in, then sends the header token with every call and the event stream', async () => {
    const { client, sent, replaceState, stored } = setUp('#token=abc-_123', (url) =>
      url === '/api/call/status'
        ? Response.json({ health: 'in-sync' })
        : Response.json({ role: 'viewer', sessionToken: 'proof-1' }),
    );
    expect(replaceState).toHaveBeenCalledWith(null, '', '/records?q=1');
    await expect(client.status()).resolves.toEqual({ health: 'in-sync' });
    expect(sent).toEqual([
      { url: '/api/session', body: '{"token":"abc-_123"}' },
      { url: '/api/call/status', body: '', session: 'proof-1' },
    ]);
    expect(stored.get('agent.sessionToken')).toBe('proof-1');
    client.on('status', () => undefined);
    await vi.waitFor(() => expect(FakeEventSource.created).toHaveLength(1));
    expect(FakeEventSource.created[0]!.url).toBe('/api/events?session=proof-1');
  });

  it('after a reload (no token in the address bar) keeps using the header token of this tab', async () => {
    const { client, sent } = setUp('', () => Response.json({}), new Map([['agent.sessionToken', 'proof-2']]));
    await client.status();
    expect(sent).toEqual([{ url: '/api/call/status', body: '', session: 'proof-2' }]);
  });

  it('posts the arguments as JSON and rejects with the contract error shape', async () => {
    const error = { code: 'forbidden', message: 'needs admin', hint: 'unlock admin first' };
    const { client, sent } = setUp('', () => Response.json({ error }, { status: 403 }));
    const rejection: unknown = await client.replayDeadLetters({ ids: [1, 2] }).catch((e: unknown) => e);
    expect(rejection).toEqual(error);
    expect(sent).toEqual([{ url: '/api/call/replayDeadLetters', body: '{"ids":[1,2]}' }]);
  });

  it('says the agent does not answer when the request fails', async () => {
    const { client } = setUp('', () => Promise.reject(new TypeError('fetch failed')));
    await expect(client.status()).rejects.toMatchObject({
      code: 'unavailable',
      hint: expect.stringContaining('status'),
    });
  });

  it('delivers events, reconnects with backoff after the stream is closed, and disconnects with the last listener', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { client } = setUp();
    const seen: unknown[] = [];
    const stop = client.on('status', (status) => seen.push(status));
    await vi.advanceTimersByTimeAsync(0);
    const first = FakeEventSource.created[0]!;
    expect(first.url).toBe('/api/events');
    first.emit('status', '{"health":"in-sync"}');
    first.emit('status', 'not json');
    expect(seen).toEqual([{ health: 'in-sync' }]);
    first.fail();
    await vi.advanceTimersByTimeAsync(99);
    expect(FakeEventSource.created).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const second = FakeEventSource.created[1]!;
    second.fail(); // backoff doubles: 200 ms
    await vi.advanceTimersByTimeAsync(199);
    expect(FakeEventSource.created).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    const third = FakeEventSource.created[2]!;
    third.emit('status', '{"health":"attention"}');
    expect(seen).toEqual([{ health: 'in-sync' }, { health: 'attention' }]);
    stop();
    expect(third.closed).toBe(true);
  });

  it('tells the link state: live when the stream opens, reconnecting while the agent is away, live again after', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const link = new LinkState(() => 5_000);
    const seen: Link[] = [];
    link.subscribe((state) => seen.push(state));
    const { client } = setUp('', () => Response.json({ role: 'viewer' }), new Map(), link);
    client.on('status', () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(link.current).toBe('connecting');
    FakeEventSource.created[0]!.open();
    FakeEventSource.created[0]!.drop();
    expect(link.current).toBe('reconnecting');
    expect(link.downSince).toBe(5_000);
    FakeEventSource.created[0]!.fail(); // refused, but the session still answers: reconnect with backoff
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeEventSource.created).toHaveLength(2);
    FakeEventSource.created[1]!.open();
    expect(seen).toEqual(['live', 'reconnecting', 'live']);
    expect(link.downSince).toBeUndefined();
  });

  it('says signed out (and stops reconnecting) when the agent no longer knows the session, e.g. after a restart', async () => {
    vi.useFakeTimers();
    const link = new LinkState();
    const error = { code: 'forbidden', message: 'this browser is not signed in', hint: 'open the link' };
    const { client, sent } = setUp('', () => Response.json({ error }, { status: 401 }), new Map(), link);
    client.on('status', () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    FakeEventSource.created[0]!.drop();
    FakeEventSource.created[0]!.fail();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.url)).toEqual(['/api/call/session']);
    expect(link.current).toBe('signed-out');
    link.retryNow();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeEventSource.created).toHaveLength(1);
    link.set('live');
    expect(link.current).toBe('signed-out');
  });

  it('retry now reconnects at once instead of waiting for the backoff', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const link = new LinkState();
    const { client } = setUp('', () => Promise.reject(new TypeError('fetch failed')), new Map(), link);
    client.on('status', () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    FakeEventSource.created[0]!.fail();
    await vi.advanceTimersByTimeAsync(0);
    expect(link.current).toBe('reconnecting');
    expect(FakeEventSource.created).toHaveLength(1);
    link.retryNow();
    expect(FakeEventSource.created).toHaveLength(2);
  });
});
