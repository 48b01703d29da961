// Finds the agent API: the Electron preload's window.agent (the web console client plugs in here too).
import type { AgentApi } from '../agent-api.js';

declare global {
  interface Window {
    agent?: AgentApi;
  }
}

export function resolveApi(): AgentApi | undefined {
  return window.agent;
}
