// A CLI command's one connection from the config, and its secrets: with the errors every such command gives.
import pino from 'pino';
import type { AgentConfig } from '../config/schema.js';
import { loadConnectionSecrets } from '../engine/connection-secrets.js';
import { CliError, exitCodes } from './cli-error.js';
import { resolveSetup, type Setup, type SetupOptions } from './resolve-setup.js';

type Connection = AgentConfig['connections'][number];

export interface ConfiguredConnection {
  setup: Setup & { config: AgentConfig };
  connection: Connection;
}

/** The connection `connectionId` of the config the options name; a missing config or an unknown id is a CliError. */
export async function configuredConnection(
  connectionId: string,
  options: SetupOptions,
): Promise<ConfiguredConnection> {
  const setup = await resolveSetup(options);
  const config = setup.config;
  if (!config) {
    throw new CliError('no config file was found: pass --config FILE or --data-dir DIR', exitCodes.badConfig);
  }
  const connection = config.connections.find((c) => c.id === connectionId);
  if (!connection) {
    const known = config.connections.map((c) => c.id).join(', ') || 'none';
    throw new CliError(
      `there is no connection "${connectionId}" in the config (connections: ${known})`,
      exitCodes.failure,
    );
  }
  return { setup: { ...setup, config }, connection };
}

/** The connection's secrets from its store (a lookup by name); a secret that cannot be read is a CliError. */
export async function connectionSecretsOf({
  setup,
  connection,
}: ConfiguredConnection): Promise<(name: string) => string> {
  const loaded = (
    await loadConnectionSecrets({ ...setup.config, connections: [connection] }, pino({ level: 'silent' }), {
      dataDir: setup.dataDir,
      ...(setup.configFile ? { configFile: setup.configFile } : {}),
    })
  ).get(connection.id);
  if (loaded instanceof Error) throw new CliError(loaded.message, exitCodes.failure);
  return loaded ?? (() => '');
}
