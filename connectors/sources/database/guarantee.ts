// Plain-words mode and guarantee of a database source, shown in status.

export interface GuaranteeFacts {
  /** "table orders" or "query". */
  target: string;
  watermark?: { column: string; type: 'timestamp' | 'integer' } | undefined;
  primaryKey: string[];
  pollIntervalMs: number;
  overlapMs: number;
  overlapValues: number;
  deletes: { mode: 'none' | 'reconcile' | 'trigger'; reconcileIntervalMs: number };
  /** Set when rows cross the network unencrypted: shown with the mode, so nobody misses it. */
  transportWarning?: string | undefined;
}

function duration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

export function captureMode(facts: GuaranteeFacts): string {
  const how = facts.watermark ? `watermark ${facts.watermark.column}` : 'full scan with row hashes';
  const deletes = facts.deletes.mode === 'none' ? '' : `, deletes by ${facts.deletes.mode}`;
  const warning = facts.transportWarning ? `; ${facts.transportWarning}` : '';
  return `${facts.target}, ${how}${deletes}${warning}`;
}

export function captureGuarantee(facts: GuaranteeFacts): string {
  const key = facts.primaryKey.join(', ');
  let rows: string;
  if (!facts.watermark) {
    rows =
      `every row of ${facts.target} whose content changed between two full reads (every ${duration(facts.pollIntervalMs)}, key ${key}); ` +
      'a row changed several times between reads is sent once, with its latest content';
  } else {
    const late =
      facts.watermark.type === 'timestamp'
        ? facts.overlapMs > 0
          ? `a row whose transaction commits up to ${duration(facts.overlapMs)} after its ${facts.watermark.column} time is still captured, one that commits later can be missed`
          : 'rows whose transaction commits after newer rows were read are missed (overlapMs is 0)'
        : facts.overlapValues > 0
          ? `rows committing late are still captured while within ${facts.overlapValues} values of the newest ${facts.watermark.column}`
          : 'rows whose transaction commits after newer rows were read are missed (overlapValues is 0)';
    rows =
      `every committed insert and update of ${facts.target} whose ${facts.watermark.column} moves forward ` +
      `(key ${key}; rows with an empty ${facts.watermark.column} are skipped); ${late}`;
  }
  const deletes =
    facts.deletes.mode === 'none'
      ? 'deletes are not captured'
      : facts.deletes.mode === 'reconcile'
        ? `deletes via reconciliation every ${duration(facts.deletes.reconcileIntervalMs)} (a row deleted and inserted again in between is not seen as deleted)`
        : 'deletes via the delete trigger and its log table';
  return `${rows}; ${deletes}`;
}
