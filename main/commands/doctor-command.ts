// `integration-agent doctor [connection]`: checks the path to each connection's destination (each connector's own steps); exit 1 when a check fails.
import pino from 'pino';
import type { ConnectionConfig } from '../config/schema.js';
import { isContractUrl } from '../config/contract-config.js';
import { formatDoctorReport } from '../diagnostics/format-doctor-report.js';
import { defaultCheckTimeoutMs } from '../../connectors/core/connector.js';
import { checkDestination } from '../../connectors/registry.js';
import type { DoctorReport } from '../../preload/contract/doctor.js';
import { loadConnectionSecrets } from '../engine/connection-secrets.js';
import { resolverOf, type SecretResolver } from '../../connectors/core/secret-ref.js';
import { CliError, exitCodes } from './cli-error.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';

export interface DoctorCommandOptions extends SetupOptions {
  json?: boolean;
  dryRun?: boolean;
  timeout?: string;
  expectIssuer?: string[];
}

function timeoutOf(value: string | undefined): number {
  if (value === undefined) return defaultCheckTimeoutMs;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 100 || ms > 120_000)
    throw new CliError(
      `--timeout ${value} is not a number of milliseconds between 100 and 120000`,
      exitCodes.failure,
    );
  return ms;
}

function chosenConnections(connections: ConnectionConfig[], id: string | undefined): ConnectionConfig[] {
  if (id === undefined) {
    const enabled = connections.filter((c) => c.enabled);
    if (enabled.length === 0)
      throw new CliError(
        'the config has no enabled connection with a destination to check',
        exitCodes.failure,
      );
    return enabled;
  }
  const connection = connections.find((c) => c.id === id);
  if (connection === undefined) {
    const known = connections.map((c) => c.id).join(', ') || 'none';
    throw new CliError(
      `there is no connection "${id}" in the config (connections: ${known})`,
      exitCodes.failure,
    );
  }
  return [{ ...connection, enabled: true }];
}

/** A resolver that fails every lookup with the reason the secrets could not be loaded (the doctor reports it per check). */
function failingResolver(error: Error): SecretResolver {
  return () => {
    throw error;
  };
}

/** The contract document the doctor compares with its pin: an OpenAPI URL with sha256. */
function pinnedContract(connection: ConnectionConfig): {
  contractDocument?: { url: string; sha256: string };
} {
  const { openapi, sha256 } = connection.contract ?? {};
  return openapi && sha256 && isContractUrl(openapi) ? { contractDocument: { url: openapi, sha256 } } : {};
}

export async function doctorCommand(
  connectionId: string | undefined,
  options: DoctorCommandOptions,
): Promise<void> {
  const timeoutMs = timeoutOf(options.timeout);
  const setup = await resolveSetup(options);
  if (setup.config === undefined)
    throw new CliError(
      'no config file was found (the sandbox has no network destination to check): pass --config FILE or --data-dir DIR',
      exitCodes.badConfig,
    );
  const connections = chosenConnections(setup.config.connections, connectionId);
  const secrets = await loadConnectionSecrets({ ...setup.config, connections }, pino({ level: 'silent' }), {
    dataDir: setup.dataDir,
    ...(setup.configFile === undefined ? {} : { configFile: setup.configFile }),
  });
  const reports: DoctorReport[] = [];
  for (const connection of connections) {
    const loaded = secrets.get(connection.id);
    const resolver = loaded instanceof Error ? failingResolver(loaded) : (loaded ?? resolverOf(new Map()));
    const report = await checkDestination(connection.destination, {
      secrets: resolver,
      timeoutMs,
      dryRun: options.dryRun ?? false,
      expectedIssuerSha256: options.expectIssuer ?? [],
      connection: connection.id,
      ...pinnedContract(connection),
    });
    reports.push(report);
    if (!options.json) process.stdout.write(`${reports.length > 1 ? '\n' : ''}${formatDoctorReport(report)}`);
  }
  const failed = reports.some((report) => report.overall === 'fail');
  if (options.json) {
    const overall = failed ? 'fail' : reports.some((r) => r.overall === 'warn') ? 'warn' : 'pass';
    process.stdout.write(`${JSON.stringify({ overall, reports }, null, 2)}\n`);
  }
  if (failed) process.exitCode = exitCodes.failure;
}
