// Gathers the pgoutput messages of one transaction into captured changes, keyed by (system, commit LSN, position).
import { createHash } from 'node:crypto';
import type { Pgoutput } from 'pg-logical-replication';
import type { CapturedChange } from '../../../core/change.js';
import { keyText, orderingKey } from '../change-keys.js';
import type { JsonValue } from '../values.js';
import { lsnText, lsnValue } from './lsn.js';
import { tupleJson, useOwnParsers } from './pgoutput-values.js';

export interface AssembledTransaction {
  /** LSN of the commit record: the checkpoint, and part of every key. */
  commitLsn: string;
  /** Commit time on the server (ms since epoch). */
  commitTime: number;
  xid: number;
  changes: CapturedChange[];
}

export interface AssemblerOptions {
  /** The database system identifier (IDENTIFY_SYSTEM): the cluster, stable across restarts and renames. */
  systemId: string;
  /** "schema.table" → primary key columns; tables without one use their replica identity columns. */
  primaryKeys: ReadonlyMap<string, readonly string[]>;
}

type Relation = Pgoutput.MessageRelation;

/** pg-epoch microseconds (2000-01-01) as the library reads them → ms since 1970. */
function commitMs(time: unknown): number {
  return Number(BigInt(time as bigint) / 1000n);
}

export function relationName(relation: Pick<Relation, 'schema' | 'name'>): string {
  return `${relation.schema}.${relation.name}`;
}

export class TransactionAssembler {
  private open: { begin: Pgoutput.MessageBegin; commitLsn: string; changes: CapturedChange[] } | undefined;

  constructor(private readonly options: AssemblerOptions) {}

  /** True between Begin and Commit: a keepalive then does not mean "everything before it is stored". */
  inTransaction(): boolean {
    return this.open !== undefined;
  }

  /** Feeds one message; returns the transaction at its Commit. */
  add(message: Pgoutput.Message): AssembledTransaction | undefined {
    switch (message.tag) {
      case 'begin':
        if (message.commitLsn === null) throw new Error('a transaction arrived without its commit LSN');
        this.open = { begin: message, commitLsn: lsnText(lsnValue(message.commitLsn)), changes: [] };
        return undefined;
      case 'relation':
        useOwnParsers(message);
        return undefined;
      case 'insert':
        this.row(message.relation, 'insert', message.new);
        return undefined;
      case 'update':
        this.update(message);
        return undefined;
      case 'delete':
        this.delete(message.relation, message.key ?? message.old ?? {}, message.old);
        return undefined;
      case 'truncate':
        for (const relation of message.relations) this.truncate(relation, message);
        return undefined;
      case 'commit':
        return this.commit(message);
      default:
        return undefined; // origin, type, message: nothing to capture
    }
  }

  private commit(message: Pgoutput.MessageCommit): AssembledTransaction {
    const open = this.open;
    this.open = undefined;
    if (!open) throw new Error('a Commit arrived without its Begin (the replication stream is out of step)');
    return {
      commitLsn: open.commitLsn,
      commitTime: commitMs(message.commitTime),
      xid: open.begin.xid,
      changes: open.changes,
    };
  }

  private keyColumns(relation: Relation): readonly string[] {
    return this.options.primaryKeys.get(relationName(relation)) ?? relation.keyColumns;
  }

  private keyOf(relation: Relation, tuple: Record<string, unknown>): Record<string, JsonValue> {
    const { json } = tupleJson(tuple);
    return Object.fromEntries(this.keyColumns(relation).map((c) => [c, json[c] ?? null]));
  }

  private push(
    relation: Relation,
    op: string,
    payload: Record<string, JsonValue>,
    pk: Record<string, JsonValue>,
    extra: Record<string, string> = {},
  ): void {
    const open = this.open;
    if (!open)
      throw new Error(`a ${op} arrived outside a transaction (the replication stream is out of step)`);
    const table = relationName(relation);
    const position = open.changes.length;
    const commitLsn = open.commitLsn;
    const pkText = keyText(Object.values(pk));
    const idempotencyKey = createHash('sha256')
      .update(['pg-logical', this.options.systemId, commitLsn, String(position)].join('\0'))
      .digest('hex');
    open.changes.push({
      idempotencyKey,
      orderingKey: orderingKey(table, pkText),
      contentType: 'application/json',
      payload: Buffer.from(JSON.stringify(payload)),
      parsed: payload,
      origin: { table, pk: pkText, op, lsn: commitLsn, xid: open.begin.xid, position, ...extra },
    });
  }

  private row(relation: Relation, op: 'insert' | 'update', tuple: Record<string, unknown>): void {
    const { json, unchanged } = tupleJson(tuple);
    const extra: Record<string, string> = unchanged.length > 0 ? { unchanged: unchanged.join(',') } : {};
    this.push(relation, op, json, this.keyOf(relation, tuple), extra);
  }

  /** An update that changed the key is the delete of the old key, then the new row (both in this transaction). */
  private update(message: Pgoutput.MessageUpdate): void {
    const before = message.key ?? message.old;
    if (before) {
      const oldKey = this.keyOf(message.relation, before);
      const newKey = this.keyOf(message.relation, message.new);
      if (JSON.stringify(oldKey) !== JSON.stringify(newKey)) {
        this.delete(message.relation, before, message.old);
      }
    }
    this.row(message.relation, 'update', message.new);
  }

  /** `{ op: "delete", pk }`, plus `old` (the whole row) under REPLICA IDENTITY FULL. */
  private delete(
    relation: Relation,
    keyTuple: Record<string, unknown>,
    old: Record<string, unknown> | null,
  ): void {
    const pk = this.keyOf(relation, keyTuple);
    const payload: Record<string, JsonValue> = { op: 'delete', pk };
    if (old && relation.replicaIdentity === 'full') payload['old'] = tupleJson(old).json;
    this.push(relation, 'delete', payload, pk);
  }

  private truncate(relation: Relation, message: Pgoutput.MessageTruncate): void {
    const table = relationName(relation);
    const payload = {
      op: 'truncate',
      table,
      cascade: message.cascade,
      restartIdentity: message.restartIdentity,
    };
    this.push(relation, 'truncate', payload, {});
  }
}
