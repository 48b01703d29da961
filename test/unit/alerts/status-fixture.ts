// AgentStatus snapshots for alert and metrics tests: one healthy connection, with overrides per test.
import type { AgentStatus, ConnectionStatus } from '../../../preload/contract/status.js';

export function connectionStatus(id: string, patch: Partial<ConnectionStatus> = {}): ConnectionStatus {
  return {
    id,
    name: `${id} export`,
    enabled: true,
    health: 'in-sync',
    source: { type: 'folder', state: 'running', guarantee: 'exactly once' },
    destination: {
      type: 'http',
      label: `https://api.example.com/${id}`,
      state: 'idle',
      consecutiveFailures: 0,
      circuit: { state: 'closed', consecutiveFailures: 0 },
    },
    pending: 0,
    pendingBytes: 0,
    dead: 0,
    warnings: [],
    ...patch,
  };
}

export function agentStatus(
  now: number,
  connections: ConnectionStatus[],
  capturePaused = false,
): AgentStatus {
  return {
    version: '0.0.0-test',
    pid: 1,
    sandbox: false,
    dataDir: '/tmp/agent',
    startedAt: 0,
    updatedAt: now,
    state: 'running',
    health: 'in-sync',
    summary: 'test',
    notices: [],
    outbox: {
      pending: connections.reduce((n, c) => n + c.pending, 0),
      pendingBytes: connections.reduce((n, c) => n + c.pendingBytes, 0),
      dead: connections.reduce((n, c) => n + c.dead, 0),
      capturePaused,
    },
    connections,
  };
}
