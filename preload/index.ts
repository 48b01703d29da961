// Electron preload: exposes the contract as window.agent (one invoke channel for calls, one channel for events), nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import {
  agentMethods,
  type AgentApi,
  type AgentEventName,
  type AgentEventPayload,
  type AgentMethodName,
  type ContractErrorShape,
} from './contract/api.js';
import { agentCallChannel, agentEventChannel, type IpcReply } from './ipc-channels.js';

/** Checks the arguments against the contract before they cross, then invokes; rejects with a ContractErrorShape. */
async function call(method: AgentMethodName, args: unknown): Promise<unknown> {
  const parsed = agentMethods[method].args.safeParse(args);
  if (!parsed.success) {
    const error: ContractErrorShape = {
      code: 'invalid-argument',
      message: `${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`,
      hint: 'check the arguments against the contract (preload/contract/api.ts)',
    };
    // A plain object, not an Error: the context bridge would keep only an Error's message.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw error;
  }
  const reply = (await ipcRenderer.invoke(agentCallChannel, method, args)) as IpcReply;
  if (reply.ok) return reply.value;
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw reply.error;
}

const method = <M extends AgentMethodName>(name: M) => ((args?: unknown) => call(name, args)) as AgentApi[M];

const listeners = new Map<string, Set<(payload: unknown) => void>>();
// The page sees only the payload, never the IPC event (whose sender would expose ipcRenderer).
ipcRenderer.on(agentEventChannel, (_event, name: string, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

function on<E extends AgentEventName>(
  event: E,
  listener: (payload: AgentEventPayload<E>) => void,
): () => void {
  const set = listeners.get(event) ?? new Set();
  listeners.set(event, set);
  const wrapped = (payload: unknown) => listener(payload as AgentEventPayload<E>);
  set.add(wrapped);
  return () => {
    set.delete(wrapped);
  };
}

export const api = {
  status: method('status'),
  session: method('session'),
  unlockAdmin: method('unlockAdmin'),
  lockAdmin: method('lockAdmin'),
  listConnections: method('listConnections'),
  getConnection: method('getConnection'),
  testConnection: method('testConnection'),
  addConnection: method('addConnection'),
  updateConnection: method('updateConnection'),
  removeConnection: method('removeConnection'),
  pauseConnection: method('pauseConnection'),
  resumeConnection: method('resumeConnection'),
  searchRecords: method('searchRecords'),
  recordTimeline: method('recordTimeline'),
  listDeadLetters: method('listDeadLetters'),
  replayDeadLetters: method('replayDeadLetters'),
  discardDeadLetters: method('discardDeadLetters'),
  previewDiagnostics: method('previewDiagnostics'),
  exportDiagnostics: method('exportDiagnostics'),
  getSettings: method('getSettings'),
  updateSettings: method('updateSettings'),
  setSecret: method('setSecret'),
  deleteSecret: method('deleteSecret'),
  listSecretNames: method('listSecretNames'),
  recentLogs: method('recentLogs'),
  throughput: method('throughput'),
  runDoctor: method('runDoctor'),
  sourceSamples: method('sourceSamples'),
  previewMapping: method('previewMapping'),
  suggestMapping: method('suggestMapping'),
  saveMapping: method('saveMapping'),
  previewRecords: method('previewRecords'),
  listAuditLog: method('listAuditLog'),
  rotateDataKey: method('rotateDataKey'),
  on,
} satisfies AgentApi;

contextBridge.exposeInMainWorld('agent', api);
