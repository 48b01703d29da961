// `outbox salvage`: puts what could be read from a damaged outbox file back into the live outbox, once per key.
import type { CapturedChange } from '../../connectors/core/change.js';
import type { Outbox } from './outbox.js';
import { readSalvage, type SalvagedRecord } from './salvage-read.js';

export interface SalvageConnectionReport {
  connection: string;
  /** Pending records read from the file, and how many of them were new to the live outbox. */
  pending: number;
  pendingEnqueued: number;
  /** Dead letters read, and how many were new (they arrive as dead letters, replayable with `dlq replay`). */
  dead: number;
  deadEnqueued: number;
}

export interface SalvageReport {
  file: string;
  method: 'query' | 'per-row';
  problem?: string;
  connections: SalvageConnectionReport[];
  /** Row ids that could not be read, as ranges. */
  unreadable: string[];
  unreadableRows: number;
}

function changeOf(record: SalvagedRecord): CapturedChange {
  return {
    idempotencyKey: record.idempotencyKey,
    orderingKey: record.orderingKey,
    ...(record.businessKey !== null ? { businessKey: record.businessKey } : {}),
    contentType: record.contentType,
    payload: record.payload,
    ...(record.origin ? { origin: record.origin } : {}),
    ...(record.state === 'dead'
      ? { rejected: { reason: `salvaged dead letter: ${record.lastError ?? 'no reason recorded'}` } }
      : {}),
  };
}

/**
 * Reads `file` and enqueues its open records (pending, with their captured key and the site id they were sent under,
 * so consumers see the same message key) and dead letters into `outbox`, in their old order. Keys already in the
 * live outbox are skipped, so running it twice adds nothing.
 */
export function salvageOutbox(file: string, outbox: Outbox): SalvageReport {
  const read = readSalvage(file);
  const byConnection = new Map<string, SalvageConnectionReport>();
  const reportOf = (connection: string) => {
    let report = byConnection.get(connection);
    if (!report) {
      report = { connection, pending: 0, pendingEnqueued: 0, dead: 0, deadEnqueued: 0 };
      byConnection.set(connection, report);
    }
    return report;
  };
  // Consecutive records of one connection, site and state go in one transaction (at most 500): order is kept.
  let group: SalvagedRecord[] = [];
  const flush = () => {
    const [first] = group;
    if (!first) return;
    const changes = group.map(changeOf);
    const { inserted } = outbox.enqueue(first.connection, { changes, checkpoints: [] }, first.keySite);
    const report = reportOf(first.connection);
    if (first.state === 'dead') {
      report.dead += group.length;
      report.deadEnqueued += inserted;
    } else {
      report.pending += group.length;
      report.pendingEnqueued += inserted;
    }
    group = [];
  };
  for (const record of read.records) {
    const first = group[0];
    const sameGroup =
      first &&
      first.connection === record.connection &&
      first.keySite === record.keySite &&
      first.state === record.state &&
      group.length < 500;
    if (!sameGroup) flush();
    group.push(record);
  }
  flush();
  const connections = [...byConnection.values()].sort((a, b) => a.connection.localeCompare(b.connection));
  return {
    file,
    method: read.method,
    ...(read.problem ? { problem: read.problem } : {}),
    connections,
    unreadable: read.unreadable,
    unreadableRows: read.unreadableRows,
  };
}
