// Builds the logical decoding source and its "Test connection" (prerequisites and the slot) from the config.
import type { DoctorCheck } from '../../../../preload/contract/doctor.js';
import type { SecretResolver } from '../../../core/secret-ref.js';
import { databaseTarget, postgresConnection, type SecretLookup } from '../create-source.js';
import type { PostgresLogicalSourceConfig } from './config.js';
import { checkPrerequisites } from './setup.js';
import { readSlotFacts } from './slot-facts.js';
import { describeLogicalError, LogicalSource } from './source.js';

export function createLogicalSource(
  config: PostgresLogicalSourceConfig,
  secrets: SecretLookup,
): LogicalSource {
  const target = databaseTarget(config, secrets);
  return new LogicalSource({
    config,
    connection: postgresConnection(config, secrets),
    connect: target.connect,
    where: target.where,
    transportWarning: target.transportWarning,
  });
}

/** The prerequisites, then whether the slot exists; a login or network failure is one failed check. */
export async function checkLogicalSource(
  config: PostgresLogicalSourceConfig,
  options: { secrets: SecretResolver },
): Promise<DoctorCheck[]> {
  let title = 'PostgreSQL';
  try {
    const target = databaseTarget(config, options.secrets);
    title = target.where;
    const client = await target.connect({ queryTimeoutMs: config.queryTimeoutMs, readOnly: true });
    try {
      const checks = await checkPrerequisites(client, config);
      try {
        await readSlotFacts(client, config.slot, config.slotAlertBytes);
        checks.push({ id: 'slot', title: `slot ${config.slot}`, status: 'pass', detail: 'the slot exists' });
      } catch (error) {
        const [detail, fix] = (error as Error).message.split('. Fix: ');
        checks.push({
          id: 'slot',
          title: `slot ${config.slot}`,
          status: 'fail',
          detail: detail ?? '',
          ...(fix ? { fix } : {}),
        });
      }
      return checks;
    } finally {
      await client.close();
    }
  } catch (error) {
    const [detail, fix] = describeLogicalError(error).split('. Fix: ');
    return [{ id: 'source', title, status: 'fail', detail: detail ?? 'failed', ...(fix ? { fix } : {}) }];
  }
}
