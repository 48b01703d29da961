// The web console's AgentApi: sign-in with the token from the URL fragment, then calls (POST /api/call/<method>) and events (SSE) carrying the session's header token.
import {
  agentMethodNames,
  type AgentApi,
  type AgentMethodName,
  type ContractErrorShape,
} from '../../../preload/contract/api.js';
import { ConsoleEvents, type EventSourceFactory } from './console-events.js';
import type { LinkState } from './link-state.js';

/** A support bundle the browser received: the zip, its name, and where the agent keeps its copy. */
export interface DownloadedBundle {
  blob: Blob;
  fileName: string;
  savedTo: string;
}

/** The web console's AgentApi, plus what only a browser does: download a support bundle as a file. */
export type ConsoleClient = AgentApi & { downloadBundle(): Promise<DownloadedBundle> };

export interface ConsoleClientOptions {
  fetch?: typeof fetch;
  createEventSource?: EventSourceFactory;
  location?: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history?: Pick<History, 'replaceState'>;
  /** Where the session's header token survives a reload: this tab, this origin only (default sessionStorage). */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told whether the page is live, reconnecting or signed out (the session is gone, e.g. after an agent restart). */
  link?: LinkState;
}

/** Calls reject with the contract's error shape (a plain object, as over Electron IPC). */
function fail(error: ContractErrorShape): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw error;
}

const unreachable: ContractErrorShape = {
  code: 'unavailable',
  message: 'the agent does not answer',
  hint: 'check that the agent is running (integration-agent status), then reload the page',
};

function errorFrom(body: unknown, status: number): ContractErrorShape {
  const error = (body as { error?: Partial<ContractErrorShape> } | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  return {
    code: status >= 500 ? 'internal' : 'invalid-argument',
    message: `the console answered HTTP ${status}`,
  };
}

/** Takes `#token=…` out of the address bar (so it is not bookmarked or shared) and returns it. */
function takeToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  history: Pick<History, 'replaceState'>,
): string | undefined {
  const token = /(?:^#|&)token=([^&]+)/.exec(location.hash)?.[1];
  if (token !== undefined) history.replaceState(null, '', `${location.pathname}${location.search}`);
  return token === undefined ? undefined : decodeURIComponent(token);
}

/** The sessionStorage key of the header token (the cookie alone signs nothing in: other local ports receive it too). */
export const sessionTokenKey = 'agent.sessionToken';
export const sessionHeaderName = 'X-Agent-Session';

function defaultStorage(): Pick<Storage, 'getItem' | 'setItem'> | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage blocked: the session lasts until the page is reloaded
  }
}

/** The file name of an attachment, when the answer names a plain one. */
const attachmentName = (disposition: string | null) => /filename="([\w.-]+)"/.exec(disposition ?? '')?.[1];

export function createConsoleClient(baseUrl = '', options: ConsoleClientOptions = {}): ConsoleClient {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const storage = options.storage ?? defaultStorage();
  let sessionToken = storage?.getItem(sessionTokenKey) ?? undefined;
  const send = async (path: string, body: string): Promise<Response> => {
    try {
      return await fetchImpl(`${baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(sessionToken ? { [sessionHeaderName]: sessionToken } : {}),
        },
        body,
        credentials: 'same-origin',
      });
    } catch {
      fail(unreachable);
    }
  };
  /** A refused request: a lost session (401) signs the page out; the answer's error is thrown. */
  const refused = (response: Response, path: string, answer: unknown): never => {
    if (response.status === 401 && path !== '/api/session') options.link?.set('signed-out');
    return fail(errorFrom(answer, response.status));
  };
  const post = async (path: string, body: string): Promise<unknown> => {
    const response = await send(path, body);
    const answer: unknown = await response.json().catch(() => undefined);
    return response.ok ? answer : refused(response, path, answer);
  };

  const token = takeToken(options.location ?? window.location, options.history ?? window.history);
  // Sign-in errors surface through the calls that follow (401 with the fix), so they are not thrown here.
  const ready =
    token === undefined
      ? Promise.resolve()
      : post('/api/session', JSON.stringify({ token })).then(
          (answer) => {
            const given = (answer as { sessionToken?: unknown } | undefined)?.sessionToken;
            if (typeof given !== 'string') return;
            sessionToken = given;
            storage?.setItem(sessionTokenKey, given);
          },
          () => undefined,
        );

  const call = async (method: AgentMethodName, args: unknown): Promise<unknown> => {
    await ready;
    return post(`/api/call/${method}`, args === undefined ? '' : JSON.stringify(args));
  };
  const events = new ConsoleEvents({
    // EventSource cannot send headers: the header token goes in the query (never logged by the console).
    url: () => `${baseUrl}/api/events${sessionToken ? `?session=${encodeURIComponent(sessionToken)}` : ''}`,
    createEventSource: options.createEventSource ?? ((url) => new EventSource(url)),
    ready,
    ...(options.initialBackoffMs ? { initialBackoffMs: options.initialBackoffMs } : {}),
    ...(options.maxBackoffMs ? { maxBackoffMs: options.maxBackoffMs } : {}),
    ...(options.link ? { link: options.link } : {}),
    signedOut: () =>
      post('/api/call/session', '').then(
        () => false,
        (error: ContractErrorShape) => error.code === 'forbidden',
      ),
  });

  const methods = Object.fromEntries(
    agentMethodNames.map((name) => [name, (args?: unknown) => call(name, args)]),
  ) as Omit<AgentApi, 'on'>;
  const downloadBundle = async (): Promise<DownloadedBundle> => {
    await ready;
    const path = '/api/download/diagnostics';
    const response = await send(path, '{}');
    if (!response.ok) refused(response, path, await response.json().catch(() => undefined));
    return {
      blob: await response.blob(),
      fileName: attachmentName(response.headers.get('Content-Disposition')) ?? 'diagnostics.zip',
      savedTo: decodeURIComponent(response.headers.get('X-Bundle-Saved-To') ?? ''),
    };
  };
  return {
    ...methods,
    downloadBundle,
    on: (event, listener) => events.on(event, listener as (payload: unknown) => void),
  };
}
