// Hostile arguments and roles at the handler boundary: every bad call is refused before the backend sees it.
import { describe, expect, it } from 'vitest';
import type { AgentBackend } from '../../../main/api/agent-backend.js';
import { createAgentHandlers } from '../../../main/api/agent-handlers.js';
import { ContractError } from '../../../main/api/contract-error.js';
import { agentMethodNames, agentMethods } from '../../../preload/contract/api.js';

/** A backend that records the calls that got through and answers nothing useful. */
function recordingBackend() {
  const calls: string[] = [];
  const backend = new Proxy({} as AgentBackend, {
    get(_target, property) {
      if (property === 'adminPassphraseSet') return () => Promise.resolve(true);
      if (property === 'verifyAdminPassphrase')
        return (p: string) => Promise.resolve(p === 'correct horse battery');
      if (property === 'subscribe') return () => () => undefined;
      return (args: unknown) => {
        calls.push(String(property));
        return { echoed: args };
      };
    },
  });
  return { backend, calls };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return (error as ContractError).code;
  }
  return 'resolved';
}

const admin = { role: 'admin' as const };
const viewer = { role: 'viewer' as const };

const hostile: [string, unknown][] = [
  ['listConnections', { extra: 1 }],
  ['getConnection', { id: 42 }],
  ['getConnection', { id: 'x'.repeat(10_000) }],
  ['getConnection', { id: 'Has Spaces' }],
  ['getConnection', {}],
  ['getConnection', null],
  ['getConnection', 'invoices'],
  ['getConnection', JSON.parse('{"id":"ok","__proto__":{"polluted":true}}')],
  ['recordTimeline', { id: -1 }],
  ['recordTimeline', { id: 1.5 }],
  ['recordTimeline', { id: '7' }],
  ['recordTimeline', { id: Number.MAX_SAFE_INTEGER + 2 }],
  ['replayDeadLetters', { ids: [] }],
  ['replayDeadLetters', { ids: Array.from({ length: 1001 }, (_, i) => i + 1) }],
  ['replayDeadLetters', { ids: [1, 0] }],
  ['discardDeadLetters', { ids: [1], actor: 'someone else' }],
  ['searchRecords', { query: 'a'.repeat(513) }],
  ['searchRecords', { query: 'a', limit: 201 }],
  ['searchRecords', { query: 'a', limit: 0 }],
  ['listDeadLetters', { limit: 1e9 }],
  ['recentLogs', { level: 'verbose' }],
  ['setSecret', { name: '../etc/passwd', value: 'v' }],
  ['setSecret', { name: 'token', value: '' }],
  ['setSecret', { name: 'token', value: 'v'.repeat(70_000) }],
  ['unlockAdmin', { passphrase: 'p'.repeat(2000) }],
  ['addConnection', { connection: JSON.parse('{"id":"a","__proto__":{"admin":true}}') }],
  ['addConnection', { connection: JSON.parse('{"id":"a","source":{"constructor":{"prototype":{}}}}') }],
  ['addConnection', { connection: { id: 'a', name: 'n'.repeat(9000) } }],
  ['addConnection', { connection: [1, 2] }],
  ['addConnection', { connection: { id: 'a', n: Number.NaN } }],
  ['addConnection', { connection: JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`) }],
  ['addConnection', { connection: { list: Array.from({ length: 3000 }, () => 1) } }],
  ['addConnection', { connection: { id: 'a', when: new Date() } }],
  ['updateConnection', { id: 'a' }],
  ['updateSettings', { limits: { maxPendingRecords: -5 } }],
  ['updateSettings', { dataDir: '/tmp/elsewhere' }],
  ['updateSettings', { network: { proxy: { mode: 'socks' } } }],
];

describe('contract handlers', () => {
  it.each(hostile)('refuses %s with hostile arguments %#', async (method, args) => {
    const { backend, calls } = recordingBackend();
    const handlers = createAgentHandlers(backend);
    expect(await codeOf(handlers.call(method, args, admin))).toBe('invalid-argument');
    expect(calls).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses unknown methods, including names of Object.prototype', async () => {
    const { backend, calls } = recordingBackend();
    const handlers = createAgentHandlers(backend);
    for (const name of ['dropDatabase', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', 42])
      expect(await codeOf(handlers.call(name as string, {}, admin))).toBe('invalid-argument');
    expect(calls).toEqual([]);
  });

  it('lets a viewer read but not change anything', async () => {
    const { backend, calls } = recordingBackend();
    const handlers = createAgentHandlers(backend);
    const changes: [string, unknown][] = [
      ['replayDeadLetters', { ids: [1] }],
      ['discardDeadLetters', { ids: [1] }],
      ['addConnection', { connection: { id: 'a' } }],
      ['updateConnection', { id: 'a', connection: { id: 'a' } }],
      ['removeConnection', { id: 'a' }],
      ['pauseConnection', { id: 'a' }],
      ['resumeConnection', { id: 'a' }],
      ['setSecret', { name: 'token', value: 'v' }],
      ['deleteSecret', { name: 'token' }],
      ['updateSettings', {}],
      ['exportDiagnostics', {}],
      ['testConnection', { connection: { id: 'a' } }],
    ];
    for (const [method, args] of changes)
      expect(await codeOf(handlers.call(method, args, viewer))).toBe('forbidden');
    expect(calls).toEqual([]);
    await handlers.call('getConnection', { id: 'a' }, viewer);
    await handlers.call('listDeadLetters', {}, viewer);
    expect(calls).toEqual(['getConnection', 'listDeadLetters']);
    // an unknown role counts as viewer
    const unknownRole = { role: 'root' } as unknown as { role: 'admin' };
    expect(await codeOf(handlers.call('removeConnection', { id: 'a' }, unknownRole))).toBe('forbidden');
  });

  it('every admin-only method is refused to a viewer; the read methods are exactly the viewer ones', () => {
    const adminOnly = agentMethodNames.filter((m) => agentMethods[m].role === 'admin').sort();
    expect(adminOnly).toEqual(
      [
        'addConnection',
        'discardDeadLetters',
        'deleteSecret',
        'exportDiagnostics',
        'pauseConnection',
        'previewDiagnostics',
        'previewRecords',
        'removeConnection',
        'replayDeadLetters',
        'resumeConnection',
        'runDoctor',
        'rotateDataKey',
        'setSecret',
        'testConnection',
        'updateConnection',
        'updateSettings',
        'sourceSamples',
        'previewMapping',
        'suggestMapping',
        'saveMapping',
      ].sort(),
    );
  });

  it('fills in defaults and passes validated arguments through', async () => {
    const { backend } = recordingBackend();
    const handlers = createAgentHandlers(backend);
    expect(await handlers.call('searchRecords', { query: 'inv-' }, viewer)).toEqual({
      echoed: { query: 'inv-', limit: 50 },
    });
  });

  it('unlocks admin only with the right passphrase, and never says more than "wrong"', async () => {
    const { backend } = recordingBackend();
    const handlers = createAgentHandlers(backend);
    expect(await handlers.call('unlockAdmin', { passphrase: 'correct horse battery' }, viewer)).toEqual({
      role: 'admin',
    });
    expect(await codeOf(handlers.call('unlockAdmin', { passphrase: 'guess' }, viewer))).toBe('forbidden');
    expect(await handlers.call('session', undefined, viewer)).toEqual({
      role: 'viewer',
      adminPassphraseSet: true,
    });
    expect(await handlers.call('lockAdmin', {}, admin)).toEqual({ role: 'viewer' });
  });
});
