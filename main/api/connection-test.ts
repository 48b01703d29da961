// "Test connection": can the agent read the source and reach the destination? Each connector brings its own checks.
import type { ConnectionTest } from '../../preload/contract/checks.js';
import { overallOf } from '../../preload/contract/doctor.js';
import type { SecretResolver } from '../../connectors/core/secret-ref.js';
import { destinationConnectorFor, sourceConnectorFor } from '../../connectors/registry.js';
import type { ConnectionConfig } from '../config/schema.js';

export async function testConnection(
  config: ConnectionConfig,
  secrets: SecretResolver,
  timeoutMs: number,
): Promise<ConnectionTest> {
  const options = { secrets, timeoutMs, connection: config.id };
  const sourceChecks = await sourceConnectorFor(config.source).check(config.source, options);
  const report = await destinationConnectorFor(config.destination).check(config.destination, options);
  const checks = [...sourceChecks, ...report.checks];
  return { overall: overallOf(checks), checks };
}
