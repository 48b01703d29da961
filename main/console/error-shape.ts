// Turns what a contract handler threw into the wire error shape both transports send; unexpected errors stay out of the answer.
import { contractErrorCodes, type ContractErrorShape } from '../../preload/contract/api.js';

/** The answer for an error that is not a contract error: its details go to the log, not to the page. */
export const internalErrorShape: ContractErrorShape = {
  code: 'internal',
  message: 'the agent failed to answer this request',
  hint: "see the agent's log for details",
};

/** The contract error carried by `error` (a ContractError or anything with its shape), else undefined. */
export function contractErrorOf(error: unknown): ContractErrorShape | undefined {
  const candidate = error as Partial<ContractErrorShape> | null;
  if (
    typeof candidate?.message !== 'string' ||
    !(contractErrorCodes as readonly unknown[]).includes(candidate.code) ||
    (candidate.hint !== undefined && typeof candidate.hint !== 'string')
  ) {
    return undefined;
  }
  return {
    code: candidate.code!,
    message: candidate.message,
    ...(candidate.hint ? { hint: candidate.hint } : {}),
  };
}
