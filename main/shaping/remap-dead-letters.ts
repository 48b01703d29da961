// Runs a connection's CURRENT mapping again on the dead letters it rejected: the ones that now map are queued.
import type { MappingConfig } from '../config/mapping-config.js';
import type { RemapApplied, RemapOutcome, RemapRefusal, RemapSelection } from '../outbox/remap.js';
import { compileMapping } from './compile-mapping.js';
import type { ContractCheck } from './contract-check.js';
import { withContract } from './contracted-mapper.js';

/** The outbox side of a re-map (the Outbox, or the CLI's dead-letter writer beside a running agent). */
export interface RemapStore {
  remapSelection(
    connection: string,
    request: { ids: number[] } | { afterId: number; limit: number },
  ): RemapSelection;
  applyRemap(connection: string, outcomes: RemapOutcome[], actor: string): RemapApplied;
}

export interface RemapReport extends RemapApplied {
  /** Records that may not be re-mapped, with why (sent before, or rejected by the source). */
  refused: RemapRefusal[];
}

const chunk = 500;

/**
 * Re-maps these dead letters (all the mapping rejected, when `ids` is undefined) with `mapping`, chunk by chunk.
 * Records that were sent before are refused: one Idempotency-Key never carries two different payloads. Re-mapped
 * records are stored for `apiVersion` (the destination's declared version now), as new records would be.
 */
export async function remapDeadLetters(
  store: RemapStore,
  connection: string,
  mapping: MappingConfig,
  ids: readonly number[] | undefined,
  actor: string,
  contract?: ContractCheck,
  apiVersion?: string,
): Promise<RemapReport> {
  const mapper = contract ? withContract(compileMapping(mapping), contract) : compileMapping(mapping);
  const report: RemapReport = { remapped: [], stillFailing: [], skipped: [], refused: [] };
  let afterId = 0;
  for (let start = 0; ; start += chunk) {
    const selection = ids
      ? store.remapSelection(connection, { ids: ids.slice(start, start + chunk) })
      : store.remapSelection(connection, { afterId, limit: chunk });
    report.refused.push(...selection.refused);
    report.skipped.push(...selection.skipped);
    const outcomes: RemapOutcome[] = [];
    for (const candidate of selection.candidates) {
      const outcome = await mapper.map(candidate);
      const version = mapper.version;
      if (outcome.kind === 'mapped')
        outcomes.push({
          id: candidate.id,
          kind: 'mapped',
          payload: outcome.payload,
          version,
          ...(apiVersion === undefined ? {} : { apiVersion }),
        });
      else
        outcomes.push({
          id: candidate.id,
          kind: 'failed',
          version,
          reason:
            outcome.kind === 'failed'
              ? outcome.reason
              : `mapping v${version}: the filter now skips this record. Fix: \`dlq discard ${candidate.id} --yes\` if it must not be sent`,
        });
    }
    const applied = store.applyRemap(connection, outcomes, actor);
    report.remapped.push(...applied.remapped);
    report.stillFailing.push(...applied.stillFailing);
    report.skipped.push(...applied.skipped);
    const seen = [...selection.candidates, ...selection.refused].map((c) => c.id);
    const done = ids ? start + chunk >= ids.length : seen.length < chunk;
    if (done) break;
    afterId = Math.max(afterId, ...seen);
  }
  return report;
}
