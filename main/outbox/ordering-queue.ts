// Per-key FIFO in SQL: the queue of open records of each ordering key, kept by pointers and a stored tail.
import type { Database } from 'better-sqlite3';
import { BatchStatement, MultiRowInsert } from './chunked-statement.js';

/*
 * Each ordering key's open records form a queue: the head (`blocked = 0`) is sent, every other open record waits for
 * the one queued right before it (`records.waits_for`, indexed while blocked), and `ordering_tails` names the last
 * record queued for the key (outbox migration 7). Records close in queue order, so "the key's tail is open" is "some
 * record of the key is open", and the open tail is what a record opening now waits for. Nothing here is keyed by
 * ordering key on the settle path: a settle hands each key over by the closed records' ids.
 */

/**
 * The SQL scalar subquery giving the open tail's id of a key, or NULL when nothing of the key is open; `connection`,
 * `orderingKey` and `self` (a reopened record, never its own predecessor) are SQL expressions. The tail's own key is
 * checked because retention may remove the tail record and its id be used again.
 */
export function openTailOf(connection: string, orderingKey: string, self?: string): string {
  return `(SELECT o.id FROM ordering_tails t JOIN records o ON o.id = t.record_id
    WHERE t.connection = ${connection} AND t.ordering_key = ${orderingKey}
      AND o.connection = t.connection AND o.ordering_key = t.ordering_key AND o.settled_at IS NULL
      ${self === undefined ? '' : `AND o.id <> ${self}`})`;
}

/** `SET` assignments that put a record being reopened (replayed, remapped) behind the open tail of its key. */
export const requeueAtTail = `
  waits_for = ${openTailOf('records.connection', 'records.ordering_key', 'records.id')},
  blocked = ${openTailOf('records.connection', 'records.ordering_key', 'records.id')} IS NOT NULL`;

/** The writes that keep the queues: every statement that opens or closes a record calls one of these after it. */
export class OrderingQueues {
  private readonly tails: MultiRowInsert;
  private readonly openTailsOf: BatchStatement;
  private readonly handOverTo: BatchStatement;

  constructor(db: Database) {
    this.tails = new MultiRowInsert(
      db,
      'ordering_tails (connection, ordering_key, record_id)',
      '(@connection, ?, ?)',
      2,
      'ON CONFLICT (connection, ordering_key) DO UPDATE SET record_id = excluded.record_id',
    );
    // The open tail of each of several keys, by openTailOf's rule written as a join: openTailOf's scalar subquery per
    // key cost 17,000 more instructions per enqueued record (callgrind), its cursors opened for every row.
    this.openTailsOf = new BatchStatement(
      db,
      (keys) => `WITH batch (ordering_key) AS (${keys})
        SELECT t.ordering_key, o.id FROM batch CROSS JOIN ordering_tails t CROSS JOIN records o
        WHERE t.connection = @connection AND t.ordering_key = batch.ordering_key AND o.id = t.record_id
          AND o.connection = t.connection AND o.ordering_key = t.ordering_key AND o.settled_at IS NULL`,
    );
    this.handOverTo = new BatchStatement(
      db,
      (ids) =>
        `UPDATE OR FAIL records SET blocked = 0, waits_for = NULL WHERE blocked = 1 AND waits_for IN (${ids})`,
    );
  }

  /** A record just opened (captured, replayed, remapped), waiting for the open tail if there was one: now the tail. */
  opened(connection: string, orderingKey: string, id: number | bigint): void {
    this.openedMany(connection, new Map([[orderingKey, Number(id)]]));
  }

  /** The open tail of each of these keys that has one: what a record of the key opening now waits for. */
  openTails(connection: string, orderingKeys: readonly string[]): Map<string, number> {
    return new Map(this.openTailsOf.all(orderingKeys, { connection }) as [string, number][]);
  }

  /** Records just opened, each now the tail of its key (`tails`: ordering key → record id): one upsert per 64 keys. */
  openedMany(connection: string, tails: ReadonlyMap<string, number>): void {
    this.tails.run([...tails].flat(), { connection });
  }

  /** Records just closed (delivered, dead): the record waiting for each becomes its key's head. */
  closed(ids: readonly number[]): void {
    this.handOverTo.run(ids);
  }
}
