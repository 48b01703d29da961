// The dead-letter commands' shared arguments: who acts (for the audit log) and the record ids given.
import { userInfo } from 'node:os';
import { CliError, exitCodes } from './cli-error.js';

/** Who did it, for the outbox audit log. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return `cli:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Record ids from the command line; anything else is refused with a hint. */
export function parseIds(values: readonly string[]): number[] {
  return values.map((value) => {
    const id = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
      throw new CliError(
        `"${value}" is not a record id. Hint: ids are the numbers in the first column of \`integration-agent dlq list\``,
        exitCodes.failure,
      );
    }
    return id;
  });
}
