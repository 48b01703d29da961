// One sample record through a connection's mapping and contract, step by step: for the editor preview and `contract check`.
import type { ContractConfig } from '../config/contract-config.js';
import type { MappingConfig } from '../config/mapping-config.js';
import { compileMapping } from './compile-mapping.js';
import type { ContractCheck } from './contract-check.js';
import { loadContract } from './openapi-contract.js';

/** What the mapping and the contract made of one sample. */
export interface ShapingPreview {
  mappingVersion: number;
  mapping:
    | { kind: 'mapped'; payload: unknown; text: string }
    | { kind: 'skipped' }
    | { kind: 'failed'; reason: string };
  /** The contract's verdict on the mapped payload; absent without a contract or when nothing was mapped. */
  contract?: { ok: true } | { ok: false; reason: string; pointer: string };
}

/** A connection's shaping made runnable once, for many previews. */
export interface Shaping {
  readonly mappingVersion: number;
  readonly hasContract: boolean;
  /** Maps a sample (a JSON text, bytes or an object: a captured record) and checks the result; never throws. */
  preview(sample: Buffer | string | object, contentType?: string): Promise<ShapingPreview>;
  /** Checks a payload that is already mapped (e.g. stored in the outbox) against the contract. */
  checkPayload(payload: Buffer): ShapingPreview['contract'];
}

const pointerOf = (reason: string) => /^contract: (\S+): /.exec(reason)?.[1] ?? '/';

function verdict(check: ContractCheck | undefined, payload: Buffer): ShapingPreview['contract'] {
  if (!check) return undefined;
  const problem = check(payload);
  return problem === undefined ? { ok: true } : { ok: false, reason: problem, pointer: pointerOf(problem) };
}

/**
 * Compiles the mapping and loads the contract (reads the schema, or reads or fetches the OpenAPI document and checks
 * its pin); throws in words with the fix when the contract cannot be used. The config must have been validated.
 */
export async function compileShaping(connection: {
  mapping: MappingConfig;
  contract?: ContractConfig | undefined;
}): Promise<Shaping> {
  const mapper = compileMapping(connection.mapping);
  const check = connection.contract ? await loadContract(connection.contract) : undefined;
  return {
    mappingVersion: mapper.version,
    hasContract: check !== undefined,
    checkPayload: (payload) => verdict(check, payload),
    async preview(sample, contentType = 'application/json') {
      const payload = Buffer.isBuffer(sample)
        ? sample
        : Buffer.from(typeof sample === 'string' ? sample : JSON.stringify(sample));
      const outcome = await mapper.map({ payload, contentType });
      const mappingVersion = mapper.version;
      if (outcome.kind !== 'mapped') return { mappingVersion, mapping: outcome };
      const text = outcome.payload.toString('utf8');
      const mapping = { kind: 'mapped' as const, payload: JSON.parse(text) as unknown, text };
      const contract = verdict(check, outcome.payload);
      return contract ? { mappingVersion, mapping, contract } : { mappingVersion, mapping };
    },
  };
}
