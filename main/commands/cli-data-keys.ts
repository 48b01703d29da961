// A support command's data keys of one connection (outbox.encryption on): a key or store that cannot be used is a CLI error.
import type { AgentConfig } from '../config/schema.js';
import { loadConnectionDataKeys } from '../engine/outbox-encryption.js';
import type { DataKeys } from '../outbox/data-keys.js';
import { PayloadKeyError } from '../outbox/payload-codec.js';
import { SecretStoreError } from '../secrets/errors.js';
import { CliError, exitCodes } from './cli-error.js';

/**
 * The keys the agent keeps for `connection` (never a new one), or undefined with encryption off. A missing key or an
 * unusable secret store stops the command before it changes anything: `nothingDone` opens the message.
 */
export async function cliDataKeys(
  config: AgentConfig,
  dataDir: string,
  connection: string,
  nothingDone: string,
): Promise<DataKeys | undefined> {
  try {
    return await loadConnectionDataKeys(config, dataDir, connection);
  } catch (error) {
    if (!(error instanceof PayloadKeyError || error instanceof SecretStoreError)) throw error;
    throw new CliError(`${nothingDone}: ${error.message}`, exitCodes.failure);
  }
}
