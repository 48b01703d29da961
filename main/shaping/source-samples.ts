// Recent records of a connection whose stored payload is still the captured source data, as preview samples.
import type { Database } from 'better-sqlite3';
import { mappingVersionField, recordsWithPayloads } from '../outbox/record.js';
import { isJsonContentType } from './compile-mapping.js';

export interface SourceSample {
  id: number;
  capturedAt: number;
  businessKey: string | null;
  state: string;
  /** The mapping version that rejected it; undefined when it was stored as captured. */
  mappingVersion?: number;
  record: Record<string, unknown>;
}

/** Rows of one state examined per call, newest first: the look-up stays bounded in a large outbox. */
const scanWindow = 5000;
/** A source record larger than this is not offered as a sample. */
export const maxSampleBytes = 65_536;

const states = ['pending', 'leased', 'delivered', 'dead', 'discarded'] as const;
const versionOf = `json_extract(origin, '$.${mappingVersionField}')`;

interface SampleRow {
  id: number;
  created_at: number;
  business_key: string | null;
  state: string;
  content_type: string;
  payload: Buffer;
  origin: string | null;
}

/** A stored JSON object record as a sample; undefined for other payloads (a whole CSV file, a PDF, an array). */
function toSample(row: SampleRow): SourceSample | undefined {
  if (!isJsonContentType(row.content_type)) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(row.payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const origin = row.origin === null ? {} : (JSON.parse(row.origin) as Record<string, unknown>);
  const version = origin[mappingVersionField];
  return {
    id: row.id,
    capturedAt: row.created_at,
    businessKey: row.business_key,
    state: row.state,
    ...(typeof version === 'number' ? { mappingVersion: version } : {}),
    record: record as Record<string, unknown>,
  };
}

/**
 * The newest JSON records (CSV rows in records mode are JSON) whose payload is source data: stored as captured
 * (no mapping ran), or rejected by the mapping (a dead letter that was never sent keeps its source payload).
 * A record the mapping made keeps only its mapped payload, so it is not a sample.
 */
export function recentSourceSamples(db: Database, connection: string, limit: number): SourceSample[] {
  const statement = db.prepare(
    `SELECT id, created_at, business_key, state, content_type, payload, origin FROM ${recordsWithPayloads}
     WHERE connection = @connection AND state = @state AND payload IS NOT NULL AND size <= @maxBytes
       AND id > (SELECT coalesce(max(id), 0) FROM records WHERE connection = @connection) - @window
       AND (${versionOf} IS NULL OR (state = 'dead' AND attempts = 0))
     ORDER BY id DESC LIMIT @limit`,
  );
  const rows = states.flatMap(
    (state) =>
      statement.all({
        connection,
        state,
        maxBytes: maxSampleBytes,
        window: scanWindow,
        limit,
      }) as SampleRow[],
  );
  const samples: SourceSample[] = [];
  for (const row of rows.sort((a, b) => b.id - a.id)) {
    if (samples.length >= limit) break;
    const sample = toSample(row);
    if (sample) samples.push(sample);
  }
  return samples;
}

/** These records of the connection as samples, in the order asked; ids that hold no source data are left out. */
export function sourceSamplesByIds(db: Database, connection: string, ids: readonly number[]): SourceSample[] {
  const wanted = new Set(ids);
  const statement = db.prepare(
    `SELECT id, created_at, business_key, state, content_type, payload, origin FROM ${recordsWithPayloads}
     WHERE id IN (SELECT value FROM json_each(@ids)) AND connection = @connection AND payload IS NOT NULL
       AND size <= @maxBytes AND (${versionOf} IS NULL OR (state = 'dead' AND attempts = 0))`,
  );
  const rows = statement.all({
    ids: JSON.stringify([...wanted]),
    connection,
    maxBytes: maxSampleBytes,
  }) as SampleRow[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    const sample = row && toSample(row);
    return sample ? [sample] : [];
  });
}
