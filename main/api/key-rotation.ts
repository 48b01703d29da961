// The admin action behind rotateDataKey: checks that encryption is on, then rotates and re-encrypts in the background.
import type { Engine } from '../engine/engine.js';
import { rotateDataKey } from '../outbox/reencrypt.js';
import { ContractError } from './contract-error.js';

/** Starts the rotation and returns at once; the end (or the reason it stopped) is logged and audited. */
export function startKeyRotation(engine: Engine, connection: string): void {
  const keys = engine.dataKeys;
  if (!keys) {
    throw new ContractError(
      'unavailable',
      'outbox encryption is off, so there is no data key to rotate',
      'set outbox.encryption.enabled: true in the config and restart the agent',
    );
  }
  if (!engine.currentConfig().connections.some((c) => c.id === connection)) {
    throw new ContractError(
      'not-found',
      `there is no connection ${connection}`,
      'pick a configured connection',
    );
  }
  rotateDataKey(engine.outbox.db, keys, connection).then(
    (result) => {
      engine.outbox.audit.record(Date.now(), 'agent', 'data-key.rotated', connection, result);
      engine.logger.info({ connection, ...result }, 'outbox: data key rotated, stored payloads re-encrypted');
    },
    (error: unknown) => {
      engine.outbox.audit.record(Date.now(), 'agent', 'data-key.rotation-stopped', connection, {
        reason: error instanceof Error ? error.message : String(error),
      });
      engine.logger.error(
        { err: error, connection },
        'outbox: data key rotation stopped; the old keys are kept',
      );
    },
  );
}
