// "Test connection": can the agent read the source (folders, database) and reach the destination (network doctor)?
import type { ConnectionTest } from '../../preload/contract/checks.js';
import { overallOf } from '../../preload/contract/doctor.js';
import { checkDatabaseSource } from '../../connectors/sources/database/checks.js';
import { checkFolderSource } from '../../connectors/sources/folder/checks.js';
import type { ConnectionConfig } from '../config/schema.js';
import { runHttpDoctor } from '../../connectors/destinations/http/doctor/index.js';
import type { SecretResolver } from '../../connectors/core/secret-ref.js';

export async function testConnection(
  config: ConnectionConfig,
  secrets: SecretResolver,
  timeoutMs: number,
): Promise<ConnectionTest> {
  const source = config.source;
  const sourceChecks =
    source.type === 'folder'
      ? await checkFolderSource(source)
      : await checkDatabaseSource(source, { secrets });
  const doctor = await runHttpDoctor(config.destination, { secrets, timeoutMs, connection: config.id });
  const checks = [...sourceChecks, ...doctor.checks];
  return { overall: overallOf(checks), checks };
}
