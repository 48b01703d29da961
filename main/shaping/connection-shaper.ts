// A connection's mapping in the emit path: maps each captured change before it is stored, counts filtered records.
import type { Logger } from 'pino';
import type { CapturedChange, ChangeBatch } from '../../connectors/core/change.js';
import type { MappingConfig } from '../config/mapping-config.js';
import { compileMapping, type MapOutcome, type Mapper } from './compile-mapping.js';
import type { ContractCheck } from './contract-check.js';
import { withContract } from './contracted-mapper.js';
/** The origin field that names the mapping version a record was shaped (or rejected) with. */
import type { mappingVersionField } from '../outbox/record.js';

/** What shaping made of a batch: the changes to store, and how many the filter skipped. */
export interface ShapedBatch {
  batch: ChangeBatch;
  skipped: number;
}

/**
 * The change as stored after the mapping: mapped JSON, or rejected with its source payload; undefined: skipped. The
 * fields are named one by one: a mapped change never reads the source payload (a source may build it only on demand).
 */
function shaped(change: CapturedChange, outcome: MapOutcome, version: number): CapturedChange | undefined {
  if (outcome.kind === 'skipped') return undefined;
  // One literal with every field (businessKey may be undefined): the same object shape for every record.
  const stored: CapturedChange = {
    idempotencyKey: change.idempotencyKey,
    orderingKey: change.orderingKey,
    businessKey: change.businessKey,
    contentType: 'application/json',
    payload: outcome.kind === 'mapped' ? outcome.payload : change.payload,
    origin: { ...change.origin, mappingVersion: version } satisfies Record<
      typeof mappingVersionField,
      number
    >,
  };
  if (outcome.kind === 'mapped') return stored;
  return { ...stored, contentType: change.contentType, rejected: { reason: outcome.reason } };
}

/**
 * Shapes one change. A change the source already rejected is kept as it is. A mapped change keeps its keys and gets
 * the mapped JSON; one that does not map keeps its SOURCE payload and is rejected with the reason.
 */
export async function shapeChange(
  mapper: Mapper,
  change: CapturedChange,
): Promise<CapturedChange | undefined> {
  if (change.rejected) return change;
  return shaped(change, await mapper.map(change), mapper.version);
}

export async function shapeBatch(mapper: Mapper, batch: ChangeBatch): Promise<ShapedBatch> {
  const changes: CapturedChange[] = [];
  let skipped = 0;
  for (const change of batch.changes) {
    if (change.rejected) {
      changes.push(change);
      continue;
    }
    const pending = mapper.map(change);
    const outcome = pending instanceof Promise ? await pending : pending;
    const result = shaped(change, outcome, mapper.version);
    if (result) changes.push(result);
    else skipped += 1;
  }
  return { batch: { changes, checkpoints: batch.checkpoints }, skipped };
}

/** The running mapping of one connection, and the filter count status shows. */
export class ConnectionShaper {
  private readonly mapper: Mapper;

  constructor(
    mapping: MappingConfig,
    private readonly logger: Logger,
    private readonly onSkipped: (count: number) => void,
    contract?: ContractCheck,
  ) {
    const mapper = compileMapping(mapping);
    this.mapper = contract ? withContract(mapper, contract) : mapper;
  }

  get version(): number {
    return this.mapper.version;
  }

  async shape(batch: ChangeBatch): Promise<ChangeBatch> {
    if (batch.changes.length === 0) return batch;
    const shaped = await shapeBatch(this.mapper, batch);
    if (shaped.skipped > 0) {
      this.onSkipped(shaped.skipped);
      this.logger.info(
        { skipped: shaped.skipped, mappingVersion: this.mapper.version },
        'records skipped by the mapping filter',
      );
    }
    return shaped.batch;
  }
}
