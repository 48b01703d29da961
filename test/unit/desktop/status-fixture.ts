// Builds AgentStatus snapshots for the desktop decision tests: one call per snapshot, connections by id.
import type { AgentStatus, ConnectionStatus } from '../../../preload/contract/status.js';

type ConnectionChange = Partial<Omit<ConnectionStatus, 'destination'>> & {
  circuit?: 'closed' | 'open' | 'half-open';
  destinationState?: NonNullable<ConnectionStatus['destination']>['state'];
  lastError?: string;
  circuitReason?: string;
};

export function connection(id: string, change: ConnectionChange = {}): ConnectionStatus {
  const { circuit, destinationState, lastError, circuitReason, ...rest } = change;
  return {
    id,
    name: `Connection ${id}`,
    enabled: true,
    health: 'in-sync',
    pending: 0,
    pendingBytes: 0,
    dead: 0,
    warnings: [],
    destination: {
      type: 'http',
      label: `https://api.example.com/${id}`,
      state: destinationState ?? (circuit === 'open' ? 'circuit-open' : 'idle'),
      consecutiveFailures: 0,
      ...(lastError ? { lastError } : {}),
      circuit: {
        state: circuit ?? 'closed',
        consecutiveFailures: 0,
        ...(circuitReason ? { reason: circuitReason } : {}),
      },
    },
    ...rest,
  };
}

export function status(connections: ConnectionStatus[], change: Partial<AgentStatus> = {}): AgentStatus {
  return {
    version: '0.1.0',
    pid: 1,
    sandbox: false,
    dataDir: '/tmp/agent',
    startedAt: 0,
    updatedAt: 0,
    state: 'running',
    health: 'in-sync',
    summary: 'All connections in sync.',
    notices: [],
    outbox: { pending: 0, pendingBytes: 0, dead: 0, capturePaused: false },
    connections,
    ...change,
  };
}
