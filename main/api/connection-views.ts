// A connection as the contract shows it: validated config (secrets only as secretRef names), paused flag and live status.
import type { ConnectionView } from '../../preload/contract/connections.js';
import type { AgentStatus } from '../../preload/contract/status.js';
import type { ConnectionConfig } from '../config/schema.js';

export function toConnectionView(
  config: ConnectionConfig,
  status: AgentStatus,
  paused: boolean,
): ConnectionView {
  const live = status.connections.find((c) => c.id === config.id);
  return {
    id: config.id,
    name: config.name ?? config.id,
    enabled: config.enabled,
    paused,
    sourceType: config.source.type,
    destinationType: config.destination.type,
    config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>,
    ...(live ? { status: live } : {}),
  };
}
