// "Test connection": can the agent read the source (folders, database) and reach the destination (network doctor)?
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { ConnectionTest } from '../../preload/contract/checks.js';
import type { DoctorCheck } from '../../preload/contract/doctor.js';
import { overallOf } from '../../preload/contract/doctor.js';
import { describeDatabaseError } from '../../connectors/sources/database/database-client.js';
import { databaseTarget } from '../../connectors/sources/database/create-source.js';
import type { ConnectionConfig } from '../config/schema.js';
import { runNetworkDoctor } from '../diagnostics/doctor/index.js';
import type { SecretResolver } from '../../connectors/core/secret-ref.js';

type FolderSource = Extract<ConnectionConfig['source'], { type: 'folder' }>;
type DatabaseSource = Exclude<ConnectionConfig['source'], FolderSource>;

async function folderCheck(path: string): Promise<DoctorCheck> {
  const title = `Folder ${path}`;
  try {
    const info = await stat(path);
    if (!info.isDirectory())
      return {
        id: 'source',
        title,
        status: 'fail',
        detail: 'exists but is not a folder',
        fix: 'point the source at a folder',
      };
    await access(path, constants.R_OK | constants.X_OK);
    return { id: 'source', title, status: 'pass', detail: 'exists and the agent may read it' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return {
        id: 'source',
        title,
        status: 'fail',
        detail: 'does not exist',
        fix: 'create the folder or correct the path',
      };
    return {
      id: 'source',
      title,
      status: 'fail',
      detail: `cannot be read (${code ?? 'error'})`,
      fix: 'give the account that runs the agent read access to the folder',
    };
  }
}

/** Opens a read-only session and runs `SELECT 1`, within the source's own query timeout. */
async function databaseCheck(source: DatabaseSource, secrets: SecretResolver): Promise<DoctorCheck> {
  let target;
  try {
    target = databaseTarget(source, secrets);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      id: 'source',
      title: 'Database',
      status: 'fail',
      detail: message,
      fix: 'store the secrets the source references',
    };
  }
  const title = target.where;
  try {
    const client = await target.connect({ queryTimeoutMs: source.queryTimeoutMs, readOnly: true });
    try {
      await client.query('SELECT 1', []);
    } finally {
      await client.close();
    }
    return { id: 'source', title, status: 'pass', detail: 'connected and ran a test query' };
  } catch (error) {
    const [detail, fix] = describeDatabaseError(error).split('. Fix: ');
    return { id: 'source', title, status: 'fail', detail: detail ?? 'failed', ...(fix ? { fix } : {}) };
  }
}

export async function testConnection(
  config: ConnectionConfig,
  secrets: SecretResolver,
  timeoutMs: number,
): Promise<ConnectionTest> {
  const source = config.source;
  const sourceChecks =
    source.type === 'folder'
      ? await Promise.all([source.path, ...source.paths].map(folderCheck))
      : [await databaseCheck(source, secrets)];
  const doctor = await runNetworkDoctor(config.destination, { secrets, timeoutMs, connection: config.id });
  const checks = [...sourceChecks, ...doctor.checks];
  return { overall: overallOf(checks), checks };
}
