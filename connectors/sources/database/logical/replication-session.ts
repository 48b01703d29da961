// One pgoutput stream from the slot: transactions handed over whole, the LSN confirmed only after they are stored.
import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { lsnAtOrBelow, lsnText, lsnValue } from './lsn.js';
import { TransactionAssembler, type AssembledTransaction } from './transaction-assembler.js';

export interface SessionOptions {
  client: pg.ClientConfig;
  slot: string;
  publication: string;
  systemId: string;
  primaryKeys: ReadonlyMap<string, readonly string[]>;
  /** The checkpoint: transactions whose commit LSN is at or below it are already in the outbox and are skipped. */
  startLsn: string | undefined;
  /**
   * Stores the transaction and its commit LSN in one outbox transaction; throws (or rejects) when it could not. A
   * promise: the transaction is shaped first, and the events after it wait for it.
   */
  store(transaction: AssembledTransaction): void | Promise<void>;
  /** The server said where it is and no transaction is open: everything it sent so far is stored. */
  idle(): void;
}

export interface ReplicationSession {
  /** Resolves when the stream ends: rejects with the reason unless stop() ended it. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/** The database system identifier of the server, from IDENTIFY_SYSTEM (needs the REPLICATION privilege). */
export async function identifySystem(config: pg.ClientConfig): Promise<string> {
  const client = new pg.Client({ ...config, replication: 'database' } as pg.ClientConfig);
  client.on('error', () => undefined);
  await client.connect();
  try {
    const result = await client.query<{ systemid: string }>('IDENTIFY_SYSTEM');
    const id = result.rows[0]?.systemid;
    if (!id) throw new Error('IDENTIFY_SYSTEM returned no system identifier');
    return String(id);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One LSN lower: the library confirms "lsn + 1", and a commit may start exactly at a keepalive's position. */
const justBefore = (lsn: string) => lsnText(lsnValue(lsn) - 1n);

export function openReplicationSession(options: SessionOptions): ReplicationSession {
  const service = new LogicalReplicationService(
    { ...options.client, options: '-c TimeZone=UTC' },
    { acknowledge: { auto: false, timeoutSeconds: 0 } },
  );
  const assembler = new TransactionAssembler({
    systemId: options.systemId,
    primaryKeys: options.primaryKeys,
  });
  const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [options.publication] });
  let failure: Error | undefined;
  let stopping = false;
  /** What the server may forget, as sent to acknowledge() (which adds 1). */
  let confirmed: string | undefined = options.startLsn;
  const fail = (error: unknown) => {
    if (failure !== undefined || stopping) return;
    failure = error instanceof Error ? error : new Error(String(error));
    void service.stop();
  };
  const confirm = () => {
    if (confirmed !== undefined) void service.acknowledge(confirmed);
  };
  service.on('start', confirm); // a checkpoint stored just before a crash is confirmed now
  /**
   * Stream events are handled one after another. A transaction stored asynchronously (the connection's mapping runs
   * first) holds back the events after it, so no heartbeat confirms a position before that transaction is stored.
   */
  let pending: Promise<void> | undefined;
  const track = (work: Promise<void>) => {
    const tail: Promise<void> = work.then(
      () => {
        if (pending === tail) pending = undefined;
      },
      (error: unknown) => {
        fail(error);
        if (pending === tail) pending = undefined;
      },
    );
    pending = tail;
  };
  const inOrder = (handle: () => void | Promise<void>) => {
    const run = () => (failure === undefined ? handle() : undefined);
    if (pending !== undefined) return track(pending.then(run));
    try {
      const result = run();
      if (result instanceof Promise) track(result);
    } catch (error) {
      fail(error);
    }
  };
  const stored = (transaction: AssembledTransaction) => {
    if (confirmed === undefined || !lsnAtOrBelow(transaction.commitLsn, confirmed)) {
      confirmed = transaction.commitLsn;
    }
    confirm();
  };
  service.on('data', (_lsn: string, message: Pgoutput.Message) =>
    inOrder(() => {
      const transaction = assembler.add(message);
      if (!transaction) return;
      const skip = options.startLsn !== undefined && lsnAtOrBelow(transaction.commitLsn, options.startLsn);
      const storing = skip ? undefined : options.store(transaction);
      if (storing instanceof Promise) return storing.then(() => stored(transaction));
      stored(transaction);
    }),
  );
  service.on('heartbeat', (lsn: string, _time: number, shouldRespond: boolean) =>
    inOrder(() => {
      let advanced = false;
      if (!assembler.inTransaction() && lsnValue(lsn) > 0n) {
        const upTo = justBefore(lsn);
        if (confirmed === undefined || !lsnAtOrBelow(upTo, confirmed)) {
          confirmed = upTo;
          advanced = true;
        }
        options.idle();
      }
      if (shouldRespond || advanced) confirm();
    }),
  );
  service.on('error', fail);
  const done = (async () => {
    try {
      await service.subscribe(plugin, options.slot, options.startLsn ?? '0/0');
    } catch (error) {
      fail(error);
    }
    while (pending !== undefined) await pending;
    if (failure !== undefined) throw failure;
    if (!stopping) throw new Error('the server ended the replication stream');
  })();
  return {
    done,
    async stop() {
      stopping = true;
      await service.stop().catch(() => undefined);
      await done.catch(() => undefined);
    },
  };
}
