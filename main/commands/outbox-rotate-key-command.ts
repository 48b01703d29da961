// `integration-agent outbox rotate-key <connection>`: a new data key, every stored payload re-sealed, the old key removed (agent stopped).
import { rotateDataKey } from '../outbox/reencrypt.js';
import { Outbox } from '../outbox/outbox.js';
import type { AgentConfig } from '../config/schema.js';
import { acquireInstanceLock, AlreadyRunningError, type InstanceLock } from '../engine/instance-lock.js';
import { outboxFile } from '../shared/data-dir.js';
import { plural } from '../engine/plain-words.js';
import { cliDataKeys } from './cli-data-keys.js';
import { CliError, exitCodes } from './cli-error.js';
import { cliActor } from './dlq-arguments.js';
import { withOutboxErrors } from './connections-command.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';

/**
 * Rotates offline: the running agent rotates in the background itself (console: Settings → Data at rest), and two
 * processes re-sealing the same rows under keys the other may remove is what this refuses to risk.
 */
export async function outboxRotateKeyCommand(connection: string, options: SetupOptions): Promise<void> {
  const setup = await resolveSetup(options);
  const config = setup.config;
  if (!config || !config.connections.some((c) => c.id === connection))
    throw new CliError(
      `no connection "${connection}" in ${setup.configFile ?? 'the config'}. Hint: pass --config FILE`,
      exitCodes.badConfig,
    );
  if (config.outbox.encryption?.enabled !== true)
    throw new CliError(
      'outbox encryption is off, so there is no data key to rotate. Hint: set outbox.encryption.enabled: true and start the agent once',
      exitCodes.failure,
    );
  // Held while rotating: an agent started meanwhile refuses to run on this data directory.
  let lock: InstanceLock;
  try {
    lock = acquireInstanceLock(setup.dataDir);
  } catch (error) {
    if (!(error instanceof AlreadyRunningError)) throw error;
    throw new CliError(
      `the agent is running on ${setup.dataDir}: nothing was changed. Hint: rotate in the console (Settings → Data at rest), where the running agent re-seals in the background, or stop the agent and run this again`,
      exitCodes.failure,
    );
  }
  try {
    await rotateOffline(config, setup.dataDir, connection);
  } finally {
    lock.release();
  }
}

async function rotateOffline(config: AgentConfig, dataDir: string, connection: string): Promise<void> {
  const keys = await cliDataKeys(config, dataDir, connection, 'nothing was changed');
  if (!keys) return;
  const outbox = withOutboxErrors(() =>
    Outbox.open(outboxFile(dataDir), { synchronous: 'FULL', busyTimeoutMs: 5000 }),
  );
  try {
    const actor = cliActor();
    outbox.audit.record(Date.now(), actor, 'data-key.rotate', connection, null);
    let result;
    try {
      result = await rotateDataKey(outbox.db, keys, connection);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      outbox.audit.record(Date.now(), actor, 'data-key.rotation-stopped', connection, { reason });
      throw new CliError(
        `the rotation stopped; the old keys are kept, so every record stays readable: ${reason}`,
        exitCodes.failure,
      );
    }
    outbox.audit.record(Date.now(), actor, 'data-key.rotated', connection, result);
    process.stdout.write(
      `Rotated the data key of ${connection}: new key ${result.keyId}; ${plural(result.rewritten, 'stored payload')} re-sealed; the old key was removed from the secret store.\n`,
    );
  } finally {
    outbox.close();
  }
}
