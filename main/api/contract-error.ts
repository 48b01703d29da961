// ContractError: the one error type contract handlers throw; it crosses every transport as { code, message, hint }.
import type { ContractErrorCode, ContractErrorShape } from '../../preload/contract/errors.js';

export class ContractError extends Error {
  constructor(
    readonly code: ContractErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }

  toJSON(): ContractErrorShape {
    return { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

/** A backend piece this build does not have (yet): says so plainly instead of failing obscurely. */
export function unavailable(what: string, hint?: string): ContractError {
  return new ContractError('unavailable', `${what} is not available in this agent yet`, hint);
}
