// The Electron transport under a simulated 'electron': the preload exposes exactly the contract, checks arguments, unwraps replies; the IPC side answers only trusted pages.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { agentMethodNames, type AgentApi } from '../../../preload/contract/api.js';
import { agentCallChannel, agentEventChannel, type IpcReply } from '../../../preload/ipc-channels.js';
import { forwardAgentEvents, registerIpcHandlers } from '../../../main/electron/ipc.js';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn<(channel: string, method: string, args: unknown) => Promise<unknown>>(),
  eventListeners: [] as ((event: unknown, name: string, payload: unknown) => void)[],
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (event: unknown, name: string, payload: unknown) => void) => {
      if (channel === agentEventChannel) electron.eventListeners.push(listener);
    },
  },
}));

let agent: AgentApi;

beforeAll(async () => {
  await import('../../../preload/index.js');
  agent = electron.exposed.get('agent') as AgentApi;
});

beforeEach(() => electron.invoke.mockReset());

describe('preload', () => {
  it('exposes window.agent with exactly the contract methods plus on, and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['agent']);
    expect(Object.keys(agent).sort()).toEqual([...agentMethodNames, 'on'].sort());
    expect(electron.eventListeners).toHaveLength(1);
  });

  it('calls go through invoke on the one call channel and resolve with the reply value', async () => {
    electron.invoke.mockResolvedValue({
      ok: true,
      value: { names: ['erp'], store: 'file' },
    } satisfies IpcReply);
    await expect(agent.listSecretNames()).resolves.toEqual({ names: ['erp'], store: 'file' });
    await agent.getConnection({ id: 'invoices' });
    expect(electron.invoke.mock.calls).toEqual([
      [agentCallChannel, 'listSecretNames', undefined],
      [agentCallChannel, 'getConnection', { id: 'invoices' }],
    ]);
  });

  it('rejects arguments that break the contract before they cross, as an invalid-argument shape', async () => {
    const bad = { id: 'invoices', extra: true } as unknown as { id: string };
    await expect(agent.getConnection(bad)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining('getConnection'),
    });
    await expect(
      agent.replayDeadLetters({ ids: 'all' } as unknown as { ids: number[] }),
    ).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    expect(electron.invoke).not.toHaveBeenCalled();
  });

  it('rejects with the contract error shape (a plain object that survives the context bridge)', async () => {
    const error = { code: 'forbidden', message: 'needs admin', hint: 'unlock admin first' } as const;
    electron.invoke.mockResolvedValue({ ok: false, error } satisfies IpcReply);
    const rejection: unknown = await agent.replayDeadLetters({ ids: [1] }).catch((e: unknown) => e);
    expect(rejection).toEqual(error);
    expect(rejection).not.toBeInstanceOf(Error);
  });

  it('delivers events by name to their listeners only, without the IPC event, until unsubscribed', () => {
    const logs: unknown[] = [];
    const statuses: unknown[] = [];
    const stop = agent.on('log', (payload) => logs.push(payload));
    agent.on('status', (payload) => statuses.push(payload));
    const send = electron.eventListeners[0]!;
    send({ sender: 'ipc internals' }, 'log', { msg: 'one' });
    stop();
    send({ sender: 'ipc internals' }, 'log', { msg: 'two' });
    expect(logs).toEqual([{ msg: 'one' }]);
    expect(statuses).toEqual([]);
  });
});

describe('registerIpcHandlers', () => {
  type Handler = (
    event: { senderFrame: { url: string } | null },
    method: unknown,
    args: unknown,
  ) => Promise<IpcReply>;

  function setUp(options: { role?: 'viewer' | 'admin'; fail?: unknown } = {}) {
    const handlers = new Map<string, Handler>();
    const ipcMain = {
      handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    };
    const calls: unknown[][] = [];
    const roles: string[] = [];
    const errors: unknown[] = [];
    const remove = registerIpcHandlers(
      ipcMain as never,
      {
        call: async (method, args, session) => {
          calls.push([method, args, session]);
          // Handlers reject with ContractError or anything else; a plain object stands in for both here.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          if (options.fail !== undefined) throw options.fail;
          return await Promise.resolve({ ok: method });
        },
      },
      {
        isTrustedSender: (frame) => frame?.url.startsWith('app://agent/') ?? false,
        role: () => options.role ?? 'viewer',
        onRoleChange: (role) => roles.push(role),
        onError: (error) => errors.push(error),
      },
    );
    const invoke = (url: string | null, method: unknown, args?: unknown) =>
      handlers.get(agentCallChannel)!({ senderFrame: url === null ? null : { url } }, method, args);
    return { invoke, calls, roles, errors, remove, handlers };
  }

  it('answers the app page with the role of the session and names the desktop as actor', async () => {
    const { invoke, calls } = setUp({ role: 'admin' });
    await expect(invoke('app://agent/index.html', 'status', {})).resolves.toEqual({
      ok: true,
      value: { ok: 'status' },
    });
    expect(calls).toEqual([['status', {}, { role: 'admin', actor: 'admin (desktop)' }]]);
  });

  it('refuses other senders and a destroyed frame without calling the handlers', async () => {
    const { invoke, calls } = setUp();
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', null]) {
      await expect(invoke(url, 'status')).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it('passes contract errors through and hides unexpected ones', async () => {
    const contract = setUp({ fail: { code: 'not-found', message: 'no connection x', hint: 'check the id' } });
    await expect(contract.invoke('app://agent/', 'getConnection', { id: 'x' })).resolves.toEqual({
      ok: false,
      error: { code: 'not-found', message: 'no connection x', hint: 'check the id' },
    });
    const bug = setUp({ fail: new TypeError('secret detail') });
    const reply = await bug.invoke('app://agent/', 'status');
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(reply)).not.toContain('secret detail');
    expect(bug.errors).toHaveLength(1);
  });

  it('reports admin unlock and lock so the shell can follow the role; removes its handler', async () => {
    const { invoke, roles, remove, handlers } = setUp();
    await invoke('app://agent/', 'unlockAdmin', { passphrase: 'x' });
    await invoke('app://agent/', 'lockAdmin');
    expect(roles).toEqual(['admin', 'viewer']);
    remove();
    expect(handlers.size).toBe(0);
  });

  it('forwards events to the window until it is destroyed', () => {
    let listener: ((event: string, payload: unknown) => void) | undefined;
    let unsubscribed = 0;
    let onDestroyed: (() => void) | undefined;
    const sent: unknown[][] = [];
    forwardAgentEvents(
      {
        subscribe: (l) => {
          listener = l;
          return () => unsubscribed++;
        },
      },
      {
        send: (...args: unknown[]) => sent.push(args),
        isDestroyed: () => false,
        once: (_event: string, l: () => void) => (onDestroyed = l),
      } as never,
    );
    listener!('status', { health: 'in-sync' });
    expect(sent).toEqual([[agentEventChannel, 'status', { health: 'in-sync' }]]);
    onDestroyed!();
    expect(unsubscribed).toBe(1);
  });
});
