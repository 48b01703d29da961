// Maps the errors of config, secrets and engine control to contract errors; anything else stays an internal error.
import { ConfigError } from '../config/errors.js';
import { ControlError } from '../engine/engine-control.js';
import { SecretStoreError, SecretStoreUnavailableError } from '../secrets/errors.js';
import { ContractError } from './contract-error.js';

export function toContractError(error: unknown): unknown {
  if (error instanceof ContractError) return error;
  if (error instanceof ControlError) {
    const code = error.kind === 'invalid' ? 'invalid-argument' : error.kind;
    return new ContractError(code, error.message, error.hint);
  }
  if (error instanceof ConfigError)
    return new ContractError(
      'invalid-argument',
      error.issues.map((i) => `${i.path}: ${i.problem}`).join('; '),
      error.issues.map((i) => `${i.path}: ${i.fix}`).join('; '),
    );
  if (error instanceof SecretStoreUnavailableError)
    return new ContractError('unavailable', error.problem, error.fix);
  if (error instanceof SecretStoreError)
    return new ContractError('invalid-argument', error.problem, error.fix);
  return error;
}
