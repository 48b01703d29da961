// Picks the transport: the Electron preload's window.agent in the desktop app, else the web console client (same origin).
import type { AgentApi } from '../../../preload/contract/api.js';
import { createConsoleClient } from './console-client.js';

export function resolveAgentApi(): AgentApi {
  const bridged = (globalThis as { agent?: AgentApi }).agent;
  return bridged ?? createConsoleClient();
}
