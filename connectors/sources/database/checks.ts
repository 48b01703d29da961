// "Test connection" for a database source: resolve its secrets, open a read-only session and run `SELECT 1`.
import type { DoctorCheck } from '../../../preload/contract/doctor.js';
import type { SecretResolver } from '../../core/secret-ref.js';
import type { DatabaseSourceConfig } from './config.js';
import { databaseTarget } from './create-source.js';
import { describeDatabaseError } from './database-client.js';

/** One check, within the source's own query timeout; a missing secret or a driver error becomes a failed check. */
export async function checkDatabaseSource(
  config: DatabaseSourceConfig,
  options: { secrets: SecretResolver },
): Promise<DoctorCheck[]> {
  let target;
  try {
    target = databaseTarget(config, options.secrets);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [
      {
        id: 'source',
        title: 'Database',
        status: 'fail',
        detail: message,
        fix: 'store the secrets the source references',
      },
    ];
  }
  const title = target.where;
  try {
    const client = await target.connect({ queryTimeoutMs: config.queryTimeoutMs, readOnly: true });
    try {
      await client.query('SELECT 1', []);
    } finally {
      await client.close();
    }
    return [{ id: 'source', title, status: 'pass', detail: 'connected and ran a test query' }];
  } catch (error) {
    const [detail, fix] = describeDatabaseError(error).split('. Fix: ');
    return [{ id: 'source', title, status: 'fail', detail: detail ?? 'failed', ...(fix ? { fix } : {}) }];
  }
}
