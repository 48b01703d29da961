// Agent-wide settings: read from the running config, and changed in the config file's raw form (network settings on every HTTP destination).
import type { ProxySettings, Settings, SettingsUpdate } from '../../preload/contract/settings.js';
import type { AgentConfig, ConnectionConfig } from '../config/schema.js';
import { rawConnections, type RawConfig } from '../engine/config-store.js';

type Destination = ConnectionConfig['destination'];

function proxyOf(d: Destination): ProxySettings {
  const { mode, url, username, password, noProxy } = d.proxy;
  return {
    mode,
    noProxy,
    ...(url !== undefined ? { url } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { passwordSecret: password.secretRef } : {}),
  };
}

function networkOf(d: Destination) {
  return {
    proxy: proxyOf(d),
    extraCaFile: d.tls.caFile ?? null,
    sendingWindows: d.sendingWindows ?? null,
  };
}

export function settingsOf(config: AgentConfig, dataDir: string, configFile: string): Settings {
  const networks = config.connections.map((c) => networkOf(c.destination));
  const [first] = networks;
  const key = (n: unknown) => JSON.stringify(n);
  return {
    dataDir,
    configFile,
    sandbox: config.sandbox,
    logLevel: config.logging.level,
    limits: {
      maxPendingRecords: config.outbox.maxPendingRecords,
      maxPendingBytes: config.outbox.maxPendingBytes,
      minFreeDiskBytes: config.outbox.minFreeDiskBytes,
    },
    network: first ? { ...first, uniform: networks.every((n) => key(n) === key(first)) } : null,
  };
}

const objectAt = (raw: Record<string, unknown>, key: string): Record<string, unknown> => {
  const value = raw[key];
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return value as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  raw[key] = fresh;
  return fresh;
};

function rawProxy(p: Omit<ProxySettings, 'noProxy'> & { noProxy?: string[] }): Record<string, unknown> {
  return {
    mode: p.mode,
    ...(p.url !== undefined ? { url: p.url } : {}),
    ...(p.username !== undefined ? { username: p.username } : {}),
    ...(p.passwordSecret !== undefined ? { password: { secretRef: p.passwordSecret } } : {}),
    ...(p.noProxy && p.noProxy.length > 0 ? { noProxy: p.noProxy } : {}),
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
    if (network.proxy) destination.proxy = rawProxy(network.proxy);
    if (network.extraCaFile !== undefined) {
      const tls = objectAt(destination, 'tls');
      if (network.extraCaFile === null) delete tls.caFile;
      else tls.caFile = network.extraCaFile;
    }
    if (network.sendingWindows === null) delete destination.sendingWindows;
    else if (network.sendingWindows !== undefined) destination.sendingWindows = network.sendingWindows;
  }
}
