// A mapper whose every mapped payload is checked against the connection's contract (the check is compiled elsewhere).
import type { MapOutcome, Mapper } from './compile-mapping.js';
import type { ContractCheck } from './contract-check.js';

/** The mapper with the contract checked on what it maps: a payload that fails is rejected (with its source data). */
export function withContract(mapper: Mapper, check: ContractCheck): Mapper {
  const verdict = (outcome: MapOutcome): MapOutcome => {
    if (outcome.kind !== 'mapped') return outcome;
    const problem = check(outcome.payload, outcome.value);
    return problem ? { kind: 'failed', reason: `mapping v${mapper.version}: ${problem}` } : outcome;
  };
  return {
    version: mapper.version,
    map(input) {
      const outcome = mapper.map(input);
      return outcome instanceof Promise ? outcome.then(verdict) : verdict(outcome);
    },
  };
}
