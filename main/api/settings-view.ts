// Agent-wide settings: read from the running config, and changed in the config file's raw form (network settings on every destination that has them).
import type { Settings, SettingsUpdate } from '../../preload/contract/settings.js';
import { destinationConnectorFor, findDestinationConnector } from '../../connectors/registry.js';
import type { AgentConfig, ConnectionConfig } from '../config/schema.js';
import { rawConnections, type RawConfig } from '../engine/config-store.js';
import { objectAt } from '../shared/raw-object.js';
import { diskFloorFor } from '../outbox/backpressure.js';

type Destination = ConnectionConfig['destination'];

/** The network block of a destination whose connector has one (proxy, CA), plus its sending windows. */
function networkOf(d: Destination) {
  const network = destinationConnectorFor(d).network;
  if (!network) return undefined;
  return { ...network.read(d), sendingWindows: d.sendingWindows ?? null };
}

export function settingsOf(config: AgentConfig, dataDir: string, configFile: string): Settings {
  const networks = config.connections.flatMap((c) => networkOf(c.destination) ?? []);
  const [first] = networks;
  const key = (n: unknown) => JSON.stringify(n);
  return {
    dataDir,
    configFile,
    sandbox: config.sandbox,
    encryptedAtRest: config.outbox.encryption?.enabled ?? false,
    logLevel: config.logging.level,
    limits: {
      maxPendingRecords: config.outbox.maxPendingRecords,
      maxPendingBytes: config.outbox.maxPendingBytes,
      minFreeDiskBytes: diskFloorFor(dataDir, config.outbox.minFreeDiskBytes).floor,
    },
    network: first ? { ...first, uniform: networks.every((n) => key(n) === key(first)) } : null,
  };
}

/** Writes the update into the file's raw config; the config schema then validates the result as a whole. */
export function applySettingsUpdate(raw: RawConfig, update: SettingsUpdate): void {
  if (update.logLevel !== undefined) objectAt(raw, 'logging').level = update.logLevel;
  if (update.limits) Object.assign(objectAt(raw, 'outbox'), update.limits);
  const network = update.network;
  if (!network) return;
  for (const connection of rawConnections(raw)) {
    const destination = objectAt(connection, 'destination');
    const connector = findDestinationConnector(destination.type);
    if (!connector?.network) continue;
    connector.network.write(destination, network);
    if (network.sendingWindows === null) delete destination.sendingWindows;
    else if (network.sendingWindows !== undefined) destination.sendingWindows = network.sendingWindows;
  }
}
