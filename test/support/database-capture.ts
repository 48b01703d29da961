// Runs a database source from a config object into a real outbox, through a SourceContext like the engine's.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { SourceHealth } from '../../connectors/core/source.js';
import type { DatabaseSourceConfig } from '../../connectors/sources/database/config.js';
import { createDatabaseSource } from '../../connectors/sources/database/create-source.js';
import type { DatabaseSource } from '../../connectors/sources/database/source.js';
import { agentConfigSchema } from '../../main/config/schema.js';
import { Outbox } from '../../main/outbox/outbox.js';
import { waitFor } from './agent-process.js';

export const connectionId = 'db';

export interface CapturedRecord {
  id: number;
  key: string;
  orderingKey: string;
  businessKey: string | null;
  contentType: string;
  payload: Record<string, unknown>;
  origin: Record<string, string>;
}

export interface CaptureRun {
  outbox: Outbox;
  source: DatabaseSource;
  /** Every health report, oldest first. */
  reports: SourceHealth[];
  /** Outbox records of the connection in capture order. */
  records(): CapturedRecord[];
  /** How many records the connection has in the outbox (cheap). */
  count(): number;
  /** Upserts (op "upsert") by primary-key text, e.g. '["7"]'. */
  upserts(): CapturedRecord[];
  deletes(): CapturedRecord[];
  waitFor(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Stops the source (the outbox stays open for another run on the same data dir). */
  stopSource(): Promise<void>;
  close(): Promise<void>;
}

/** The source section as the config file would hold it, validated by the real agent config schema. */
export function parseSource(source: Record<string, unknown>): DatabaseSourceConfig {
  const config = agentConfigSchema.parse({
    configVersion: 1,
    connections: [
      { id: connectionId, source, destination: { type: 'http', url: 'https://api.example.com/ingest' } },
    ],
  });
  const parsed = config.connections[0]?.source;
  if (!parsed || parsed.type === 'folder' || (parsed.type === 'postgres' && parsed.mode === 'logical'))
    throw new Error('not a polling database source');
  return parsed;
}

/** Starts the source on a fresh outbox in its own directory under `dataDir`, or on `outbox` to continue a run. */
export async function runCapture(
  source: Record<string, unknown>,
  options: { dataDir: string; secrets?: Record<string, string>; outbox?: Outbox },
): Promise<CaptureRun> {
  const outbox =
    options.outbox ??
    Outbox.open(join(mkdtempSync(join(options.dataDir, 'run-')), 'outbox.db'), {
      synchronous: 'NORMAL',
      busyTimeoutMs: 5000,
    });
  const secrets = options.secrets ?? {};
  const db = createDatabaseSource(parseSource(source), (name) => {
    const value = secrets[name];
    if (value === undefined) throw new Error(`secret "${name}" was not loaded`);
    return value;
  });
  const reports: SourceHealth[] = [];
  await db.start({
    emit: (batch) => outbox.enqueue(connectionId, batch),
    emitShaped: (batch) => Promise.resolve(outbox.enqueue(connectionId, batch)),
    checkpoint: (key) => outbox.checkpoint(connectionId, key),
    checkpoints: () => outbox.checkpoints(connectionId),
    logger: pino({ level: 'silent' }),
    reportHealth: (health) => void reports.push(health),
    deliveryStates: (keys) => outbox.deliveryStates(connectionId, keys),
  });
  const records = (): CapturedRecord[] =>
    (
      outbox.db
        .prepare(
          `SELECT id, idempotency_key, ordering_key, business_key, content_type, payload, origin
           FROM records LEFT JOIN record_payloads ON record_id = id WHERE connection = ? ORDER BY id`,
        )
        .all(connectionId) as {
        id: number;
        idempotency_key: string;
        ordering_key: string;
        business_key: string | null;
        content_type: string;
        payload: Buffer;
        origin: string;
      }[]
    ).map((r) => ({
      id: r.id,
      key: r.idempotency_key,
      orderingKey: r.ordering_key,
      businessKey: r.business_key,
      contentType: r.content_type,
      payload: JSON.parse(r.payload.toString()) as Record<string, unknown>,
      origin: JSON.parse(r.origin) as Record<string, string>,
    }));
  let sourceStopped = false;
  const stopSource = async () => {
    if (sourceStopped) return;
    sourceStopped = true;
    await db.stop();
  };
  return {
    outbox,
    source: db,
    reports,
    records,
    count: () =>
      outbox.db
        .prepare('SELECT count(*) FROM records WHERE connection = ?')
        .pluck()
        .get(connectionId) as number,
    upserts: () => records().filter((r) => r.origin['op'] === 'upsert'),
    deletes: () => records().filter((r) => r.origin['op'] === 'delete'),
    waitFor: (condition, what, timeoutMs = 10_000) => waitFor(condition, timeoutMs, what),
    stopSource,
    async close() {
      await stopSource();
      outbox.close();
    },
  };
}
