// A failure the CLI reports as one clear line plus a hint, with a documented exit code.
import { ConfigError } from '../config/errors.js';

export const exitCodes = {
  ok: 0,
  failure: 1,
  badConfig: 2,
  alreadyRunning: 3,
  dataDirUnusable: 4,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Runs config work, turning an invalid config into the CLI's "bad config" failure (exit 2). */
export async function withConfigErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, exitCodes.badConfig);
    throw error;
  }
}
