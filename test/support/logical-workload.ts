// Concurrent writers on a PostgreSQL table, and the table state rebuilt from captured changes, for logical decoding tests.
import type { PostgresServer } from './postgres-server.js';
import { seededRandom } from './seeded-random.js';

export type Row = { id: number; qty: number; note: string };

export const workloadTable = (name: string) =>
  `CREATE TABLE ${name} (id int PRIMARY KEY, qty int NOT NULL, note text NOT NULL)`;

/**
 * `writers` sessions at once, each running `transactions` transactions of an insert, an update of one of its rows
 * and sometimes a delete. Ids are `idBase + writer * 10_000 + n`. Returns the row changes committed.
 */
export async function runWriters(
  server: PostgresServer,
  table: string,
  options: { writers: number; transactions: number; seed: number; idBase: number },
): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: options.writers }, async (_, writer) => {
      const random = seededRandom(options.seed + writer);
      const client = await server.connect();
      const mine: number[] = [];
      let changes = 0;
      try {
        for (let n = 0; n < options.transactions; n += 1) {
          const id = options.idBase + writer * 10_000 + n;
          await client.query('BEGIN');
          let inTransaction = 0;
          inTransaction += (
            await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3)`, [id, n, `w${writer}`])
          ).rowCount!;
          mine.push(id);
          const target = mine[Math.floor(random() * mine.length)];
          inTransaction += (await client.query(`UPDATE ${table} SET qty = qty + 1 WHERE id = $1`, [target]))
            .rowCount!;
          if (random() < 0.3) {
            const [gone] = mine.splice(Math.floor(random() * mine.length), 1);
            inTransaction += (await client.query(`DELETE FROM ${table} WHERE id = $1`, [gone])).rowCount!;
          }
          await client.query('COMMIT');
          changes += inTransaction;
        }
      } finally {
        await client.end();
      }
      return changes;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** Applies captured payloads in order: rows upsert by id, `{op: delete}` removes, `{op: truncate}` empties. */
export function replay(payloads: readonly Record<string, unknown>[]): Map<number, Row> {
  const state = new Map<number, Row>();
  for (const p of payloads) {
    if (p['op'] === 'truncate') state.clear();
    else if (p['op'] === 'delete') state.delete(Number((p['pk'] as { id: number }).id));
    else state.set(Number(p['id']), p as Row);
  }
  return state;
}

export async function tableState(server: PostgresServer, table: string): Promise<Map<number, Row>> {
  const rows = await server.query<Row>(`SELECT id, qty, note FROM ${table} ORDER BY id`);
  return new Map(rows.map((r) => [r.id, { id: r.id, qty: r.qty, note: r.note }]));
}

/** The two states as sorted JSON lines, for an equality assertion with a readable diff. */
export function stateLines(state: Map<number, Row>): string[] {
  return [...state.values()]
    .sort((a, b) => a.id - b.id)
    .map((r) => JSON.stringify({ id: r.id, qty: r.qty, note: r.note }));
}
