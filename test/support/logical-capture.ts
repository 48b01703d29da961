// Runs the logical decoding source from a config object into a real outbox, through a SourceContext like the engine's.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { SourceHealth } from '../../connectors/core/source.js';
import type { PostgresLogicalSourceConfig } from '../../connectors/sources/database/logical/config.js';
import { createLogicalSource } from '../../connectors/sources/database/logical/create-logical-source.js';
import type { LogicalSource } from '../../connectors/sources/database/logical/source.js';
import { agentConfigSchema } from '../../main/config/schema.js';
import { Outbox } from '../../main/outbox/outbox.js';
import type { PostgresServer } from './postgres-server.js';

export const connectionId = 'pg';

export interface LogicalRecord {
  key: string;
  orderingKey: string;
  payload: Record<string, unknown>;
  origin: Record<string, string | number>;
}

export interface LogicalRun {
  outbox: Outbox;
  source: LogicalSource;
  reports: SourceHealth[];
  records(): LogicalRecord[];
  checkpoint(key: string): string | undefined;
  /** Stops the source; the outbox stays open for another run. */
  stopSource(): Promise<void>;
  close(): Promise<void>;
}

/** The source section of a config file for `server`, validated by the real agent config schema. */
export function logicalSourceConfig(
  server: PostgresServer,
  extra: Record<string, unknown>,
): PostgresLogicalSourceConfig {
  const config = agentConfigSchema.parse({
    configVersion: 1,
    connections: [
      {
        id: connectionId,
        source: {
          type: 'postgres',
          mode: 'logical',
          host: server.host,
          port: server.port,
          database: server.database,
          user: server.user,
          password: { secretRef: 'pg' },
          retry: { baseMs: 50, capMs: 500 },
          ...extra,
        },
        destination: { type: 'http', url: 'https://api.example.com/ingest' },
      },
    ],
  });
  const source = config.connections[0]?.source;
  if (source?.type !== 'postgres' || source.mode !== 'logical') throw new Error('not a logical source');
  return source;
}

/** Starts the source on a fresh outbox under `dataDir`, or on `outbox` to continue a run. */
export async function runLogical(
  server: PostgresServer,
  extra: Record<string, unknown>,
  options: { dataDir: string; outbox?: Outbox },
): Promise<LogicalRun> {
  const outbox =
    options.outbox ??
    Outbox.open(join(mkdtempSync(join(options.dataDir, 'run-')), 'outbox.db'), {
      synchronous: 'NORMAL',
      busyTimeoutMs: 5000,
    });
  const source = createLogicalSource(logicalSourceConfig(server, extra), () => server.password);
  const reports: SourceHealth[] = [];
  await source.start({
    emit: (batch) => outbox.enqueue(connectionId, batch),
    emitShaped: (batch) => Promise.resolve(outbox.enqueue(connectionId, batch)),
    checkpoint: (key) => outbox.checkpoint(connectionId, key),
    checkpoints: () => outbox.checkpoints(connectionId),
    logger: pino({ level: 'silent' }),
    reportHealth: (health) => void reports.push(health),
    deliveryStates: (keys) => outbox.deliveryStates(connectionId, keys),
  });
  const records = () =>
    (
      outbox.db
        .prepare(
          'SELECT idempotency_key, ordering_key, payload, origin FROM records LEFT JOIN record_payloads ON record_id = id WHERE connection = ? ORDER BY id',
        )
        .all(connectionId) as {
        idempotency_key: string;
        ordering_key: string;
        payload: Buffer;
        origin: string;
      }[]
    ).map((r) => ({
      key: r.idempotency_key,
      orderingKey: r.ordering_key,
      payload: JSON.parse(r.payload.toString()) as Record<string, unknown>,
      origin: JSON.parse(r.origin) as Record<string, string | number>,
    }));
  let stopped = false;
  const stopSource = async () => {
    if (stopped) return;
    stopped = true;
    await source.stop();
  };
  let closed = false;
  return {
    outbox,
    source,
    reports,
    records,
    checkpoint: (key) => outbox.checkpoint(connectionId, key),
    stopSource,
    async close() {
      if (closed) return;
      closed = true;
      await stopSource();
      if (!options.outbox) outbox.close();
    },
  };
}
