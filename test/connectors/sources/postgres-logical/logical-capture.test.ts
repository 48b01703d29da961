// Logical decoding against a real PostgreSQL 15 (wal_level=logical): types, TOAST, schema change, TRUNCATE, key changes,
// concurrent writers across a server restart and a source restart, and the slot-retention alert.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupStatements } from '../../../../connectors/sources/database/logical/setup.js';
import { lsnAtOrBelow } from '../../../../connectors/sources/database/logical/lsn.js';
import { slotRetention } from '../../../../main/alerts/slot-retention-rule.js';
import { formatStatus } from '../../../../main/commands/format-status.js';
import { waitFor } from '../../../support/agent-process.js';
import { agentStatus, connectionStatus } from '../../../unit/alerts/status-fixture.js';
import { runLogical, type LogicalRun } from '../../../support/logical-capture.js';
import {
  replay,
  runWriters,
  stateLines,
  tableState,
  workloadTable,
} from '../../../support/logical-workload.js';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'pg-logical-' });
let server: PostgresServer;
const runs: LogicalRun[] = [];
let count = 0;

beforeAll(async () => {
  server = await startPostgres({ logical: true });
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const run of runs.splice(0)) await run.close();
  await server.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active');
});

/** A fresh table with its own publication and slot, created by the same statements `capture setup` runs. */
async function setUp(
  ddl: (table: string) => string,
): Promise<{ table: string; extra: { tables: string[]; publication: string; slot: string } }> {
  count += 1;
  const table = `t${count}`;
  await server.query(ddl(table));
  const extra = { tables: [table], publication: `pub${count}`, slot: `slot${count}` };
  for (const sql of setupStatements({ ...extra, user: server.user })) await server.query(sql);
  return { table, extra };
}

async function capture(extra: Record<string, unknown>, outbox?: LogicalRun['outbox']): Promise<LogicalRun> {
  const run = await runLogical(server, extra, { dataDir: tempDir(), ...(outbox ? { outbox } : {}) });
  runs.push(run);
  return run;
}

describe('PostgreSQL logical decoding', () => {
  it('maps types, leaves unchanged TOASTed columns out, follows ADD COLUMN, key changes and TRUNCATE', async () => {
    const { table, extra } = await setUp(
      (t) => `CREATE TABLE ${t} (id int PRIMARY KEY, price numeric(10, 2), doc jsonb, tags text[],
        at timestamptz, big bigint, note text);
        ALTER TABLE ${t} ALTER COLUMN note SET STORAGE EXTERNAL`,
    );
    const run = await capture(extra);
    const long = 'toast '.repeat(2000);
    await server.query(
      `INSERT INTO ${table} VALUES (1, 12.50, '{"a": [1, 2]}', '{x,y}', '2024-05-01 12:00:00.123456+02',
        9007199254740993, $1)`,
      [long],
    );
    await server.query(`UPDATE ${table} SET price = 13 WHERE id = 1`);
    await server.query(`ALTER TABLE ${table} ADD COLUMN color text DEFAULT 'red'`);
    await server.query(`INSERT INTO ${table} (id, note, color) VALUES (2, 'short', 'blue')`);
    await server.query(`UPDATE ${table} SET id = 3 WHERE id = 2`);
    await server.query(`DELETE FROM ${table} WHERE id = 1`);
    await server.query(`TRUNCATE ${table}`);
    await waitFor(() => run.records().length === 7, 10_000, 'seven changes');
    const records = run.records();
    expect(records.map((r) => [r.origin['op'], r.origin['pk'], r.origin['position']])).toEqual([
      ['insert', '["1"]', 0],
      ['update', '["1"]', 0],
      ['insert', '["2"]', 0],
      ['delete', '["2"]', 0], // UPDATE id = 3 WHERE id = 2: the old key goes, then the new row, one transaction
      ['update', '["3"]', 1],
      ['delete', '["1"]', 0],
      ['truncate', '[]', 0],
    ]);
    expect(records[0]?.payload).toEqual({
      id: 1,
      price: '12.50',
      doc: { a: [1, 2] },
      tags: ['x', 'y'],
      at: '2024-05-01T10:00:00.123456Z',
      big: '9007199254740993',
      note: long,
    });
    // The TOASTed note did not change: it is not in the update, and origin says so (not sent as null).
    expect(records[1]?.payload).not.toHaveProperty('note');
    expect(records[1]?.payload).toMatchObject({ id: 1, price: '13.00' });
    expect(records[1]?.origin['unchanged']).toBe('note');
    expect(records[2]?.payload).toMatchObject({ id: 2, note: 'short', color: 'blue' });
    expect(records[3]?.payload).toEqual({ op: 'delete', pk: { id: 2 } });
    expect(records[3]?.origin['lsn']).toBe(records[4]?.origin['lsn']);
    expect(records[4]?.payload).toMatchObject({ id: 3, color: 'blue' });
    expect(records[5]?.payload).toEqual({ op: 'delete', pk: { id: 1 } });
    expect(records[6]?.payload).toEqual({
      op: 'truncate',
      table: `public.${table}`,
      cascade: false,
      restartIdentity: false,
    });
    expect(new Set(records.map((r) => r.key)).size).toBe(7);
    expect(records[3]?.orderingKey).toBe(`public.${table}:["2"]`);
    const last = String(records[6]?.origin['lsn']);
    await waitFor(
      async () => {
        const [slot] = await server.query<{ confirmed: string }>(
          'SELECT confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots WHERE slot_name = $1',
          [extra.slot],
        );
        return slot !== undefined && !lsnAtOrBelow(slot.confirmed, last);
      },
      5000,
      'the last commit LSN confirmed to PostgreSQL',
    );
    expect(run.checkpoint('lsn')).toBe(last);
  });

  it('with REPLICA IDENTITY FULL fills unchanged TOASTed columns and sends the whole old row of a delete', async () => {
    const { table, extra } = await setUp(
      (t) => `CREATE TABLE ${t} (id int PRIMARY KEY, qty int, note text);
        ALTER TABLE ${t} ALTER COLUMN note SET STORAGE EXTERNAL; ALTER TABLE ${t} REPLICA IDENTITY FULL`,
    );
    const run = await capture(extra);
    const long = 'full '.repeat(2000);
    await server.query(`INSERT INTO ${table} VALUES (1, 1, $1)`, [long]);
    await server.query(`UPDATE ${table} SET qty = 2 WHERE id = 1`);
    await server.query(`DELETE FROM ${table} WHERE id = 1`);
    await waitFor(() => run.records().length === 3, 10_000, 'three changes');
    const [, update, remove] = run.records();
    expect(update?.payload).toEqual({ id: 1, qty: 2, note: long });
    expect(update?.origin).not.toHaveProperty('unchanged');
    expect(remove?.payload).toEqual({ op: 'delete', pk: { id: 1 }, old: { id: 1, qty: 2, note: long } });
  });

  it('concurrent writers across a server restart and a source restart: every change once, in commit order', async () => {
    const { table, extra } = await setUp(workloadTable);
    const first = await capture(extra);
    let changes = await runWriters(server, table, { writers: 4, transactions: 25, seed: 1, idBase: 0 });
    await server.restart({ downMs: 200 }); // capture is still reading the first batch of transactions
    changes += await runWriters(server, table, { writers: 4, transactions: 25, seed: 2, idBase: 1000 });
    await waitFor(() => first.records().length > 0, 10_000, 'capture under way');
    expect(first.reports.some((r) => r.state === 'degraded')).toBe(true); // the restart cut the stream
    await first.stopSource(); // the source stops mid-stream; a new one continues from the checkpoint on the same outbox
    const writing = runWriters(server, table, { writers: 3, transactions: 20, seed: 3, idBase: 2000 });
    const second = await capture(extra, first.outbox);
    changes += await writing;
    await waitFor(() => second.records().length === changes, 20_000, `all ${changes} changes`);
    const records = second.records();
    expect(stateLines(replay(records.map((r) => r.payload)))).toEqual(
      stateLines(await tableState(server, table)),
    );
    expect(new Set(records.map((r) => r.key)).size).toBe(changes);
    // Commit order, each transaction whole: LSNs never go back, positions run 0, 1, … within one LSN.
    let previous = { lsn: '0/0', position: -1 };
    for (const r of records) {
      const lsn = String(r.origin['lsn']);
      const position = Number(r.origin['position']);
      if (lsn === previous.lsn) expect(position).toBe(previous.position + 1);
      else {
        expect(lsnAtOrBelow(previous.lsn, lsn)).toBe(true);
        expect(position).toBe(0);
      }
      previous = { lsn, position };
    }
    await second.close();
    first.outbox.close();
  }, 60_000); // its waits alone may take 30 s on a loaded machine: a slow run names the wait that failed

  it('shows the WAL the slot retains and alerts past slotAlertBytes while capture is paused', async () => {
    const { table, extra } = await setUp(workloadTable);
    const run = await capture({ ...extra, slotAlertBytes: 1024 * 1024, slotCheckIntervalMs: 500 });
    await server.query(`INSERT INTO ${table} VALUES (1, 1, 'before')`);
    await waitFor(() => run.records().length === 1, 10_000, 'the first change');
    run.source.pause('test: outbox over its cap');
    await server.query(
      `INSERT INTO ${table} SELECT g, g, repeat(md5(g::text), 20) FROM generate_series(2, 4000) g`,
    );
    await waitFor(
      () => (run.source.health().replicationSlot?.retainedBytes ?? 0) > 1024 * 1024,
      10_000,
      'the slot to retain more than 1 MiB',
    );
    const health = run.source.health();
    expect(health.replicationSlot).toMatchObject({ name: extra.slot, alertBytes: 1024 * 1024 });
    expect(health.replicationSlot?.lagBytes).toBeGreaterThan(1024 * 1024);
    const status = agentStatus(Date.now(), [
      connectionStatus('pg', { name: 'ERP', source: { type: 'postgres', ...health } }),
    ]);
    expect(formatStatus(status, Date.now())).toMatch(
      new RegExp(
        `pg slot ${extra.slot}: \\d+\\.\\d MB WAL retained, \\d+\\.\\d MB unconfirmed \\(alert past 1\\.0 MB\\)`,
      ),
    );
    const [alert, ...others] = slotRetention.conditions({ status });
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ subject: 'pg', severity: 'critical' });
    expect(alert?.message).toContain(`replication slot "${extra.slot}"`);
    expect(alert?.message).toContain('docs/logical-decoding.md');
    expect(run.records()).toHaveLength(1); // paused: nothing read, nothing confirmed
    run.source.resume();
    await waitFor(() => run.records().length === 4000, 15_000, 'the backlog after resume');
    await waitFor(
      () => (run.source.health().replicationSlot?.lagBytes ?? Infinity) < 1024 * 1024,
      10_000,
      'the slot confirmed after resume',
    );
  });
});
