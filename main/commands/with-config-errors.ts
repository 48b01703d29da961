// Turns an invalid config met during CLI work into the CLI's "bad config" failure (exit 2).
import { ConfigError } from '../config/errors.js';
import { CliError, exitCodes } from './cli-error.js';

/** Runs config work, turning an invalid config into the CLI's "bad config" failure (exit 2). */
export async function withConfigErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, exitCodes.badConfig);
    throw error;
  }
}
