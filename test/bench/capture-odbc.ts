// ODBC capture benchmark: rows/s through psqlODBC vs the native pg driver, capturing the same PostgreSQL table.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { ChangeBatch } from '../../connectors/core/change.js';
import { createDatabaseSource } from '../../connectors/sources/database/create-source.js';
import { Outbox } from '../../main/outbox/outbox.js';
import { parseSource } from '../support/database-capture.js';
import { startPostgres } from '../support/postgres-server.js';
import { benchMain, loadAverage } from './bench-main.js';
import { parseCount } from './bench-options.js';
import { int, rate, ratio, seconds, table } from './format.js';
import { nowMs } from './measure.js';
import type { TempArea } from './temp-area.js';

interface OdbcBenchOptions {
  rows: number;
  batchSize: number;
  rounds: number;
  tmpBase: string;
}

const usage = `Usage: node --import tsx test/bench/capture-odbc.ts [options]

  --rows N        rows in the table               (default 100k, quick 10k; env ODBC_BENCH_ROWS)
  --batch N       rows per page (batchSize)       (default 500)
  --rounds N      native/ODBC runs, alternated    (default 2, quick 1)
  --quick         smoke run                       (env DB_BENCH_QUICK=1)
  --tmp DIR       where the outboxes go           (default os.tmpdir())
  --help          this text`;

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): OdbcBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      batch: { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean' },
      tmp: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      // capture.ts passes its own options to every part: accepted, not used here
      idle: { type: 'string' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? ['1', 'true', 'yes'].includes((env.DB_BENCH_QUICK ?? '').toLowerCase());
  const rowsText = values.rows ?? env.ODBC_BENCH_ROWS;
  return {
    rows: rowsText ? parseCount(rowsText, 'rows') : quick ? 10_000 : 100_000,
    batchSize: values.batch ? parseCount(values.batch, 'batch') : 500,
    rounds: values.rounds ? parseCount(values.rounds, 'rounds') : quick ? 1 : 2,
    tmpBase: values.tmp ?? tmpdir(),
  };
}

/** Captures every row of the table into a fresh outbox (synchronous FULL, as shipped); returns the milliseconds. */
async function captureMs(
  source: Record<string, unknown>,
  password: string,
  options: OdbcBenchOptions,
  outboxFile: string,
): Promise<number> {
  const outbox = Outbox.open(outboxFile, { synchronous: 'FULL', busyTimeoutMs: 5000 });
  const db = createDatabaseSource(
    parseSource({ ...source, batchSize: options.batchSize, pollIntervalMs: 100 }),
    () => password,
  );
  let stored = 0;
  let doneAt = 0;
  const started = nowMs();
  const emit = (batch: ChangeBatch) => {
    const result = outbox.enqueue('bench', batch);
    stored += result.inserted;
    if (stored === options.rows && doneAt === 0) doneAt = nowMs();
    return result;
  };
  await db.start({
    emit,
    emitShaped: (batch) => Promise.resolve(emit(batch)),
    checkpoint: (key) => outbox.checkpoint('bench', key),
    checkpoints: () => outbox.checkpoints('bench'),
    deliveryStates: (keys) => outbox.deliveryStates('bench', keys),
    logger: pino({ level: 'silent' }),
    reportHealth: () => undefined,
  });
  try {
    while (doneAt === 0) {
      const health = db.health();
      if (health.state === 'degraded') throw new Error(health.detail ?? 'degraded');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await db.stop();
    outbox.close();
  }
  return doneAt - started;
}

async function run(options: OdbcBenchOptions, area: TempArea): Promise<void> {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  log(`ODBC capture benchmark (${process.version}); load average (1/5/15 min): ${loadAverage()}`);
  log(
    `  ${int(options.rows)} rows, batchSize ${options.batchSize}, ${options.rounds} round(s) native then ODBC, outbox synchronous=FULL`,
  );
  const pg = await startPostgres();
  const best = { native: Infinity, odbc: Infinity };
  try {
    await pg.query(`CREATE TABLE bench (id bigint PRIMARY KEY, customer text, amount numeric(12, 2), note text,
      updated_at timestamp(6) NOT NULL)`);
    await pg.query('CREATE INDEX bench_changes ON bench (updated_at, id)');
    await pg.query(
      `INSERT INTO bench SELECT g, 'Customer ' || (g % 5000), (g % 99999) / 100.0, 'ok',
       localtimestamp - interval '1 hour' + g * interval '1 millisecond' FROM generate_series(1, $1) g`,
      [options.rows],
    );
    await pg.query('VACUUM ANALYZE bench');
    const capture = {
      table: 'bench',
      watermark: { column: 'updated_at' },
      primaryKey: ['id'],
      overlapMs: 1000,
    };
    const native = {
      type: 'postgres',
      host: pg.host,
      port: pg.port,
      database: pg.database,
      user: pg.user,
      password: { secretRef: 'pg' },
      ...capture,
    };
    const odbc = {
      type: 'odbc',
      connectionString: `Driver={PostgreSQL Unicode};Server=${pg.host};Port=${pg.port};Database=${pg.database}`,
      user: pg.user,
      password: { secretRef: 'pg' },
      ...capture,
    };
    for (let round = 1; round <= options.rounds; round += 1) {
      const outbox = (name: string) => join(area.dir(`${name}-${round}`), 'outbox.db');
      best.native = Math.min(best.native, await captureMs(native, pg.password, options, outbox('native')));
      best.odbc = Math.min(best.odbc, await captureMs(odbc, pg.password, options, outbox('odbc')));
    }
  } finally {
    await pg.stop();
  }
  const perSecond = (ms: number) => (options.rows / ms) * 1000;
  log();
  log(
    table([
      ['driver', 'rows', 'capture time (best round)', 'rows/s'],
      ['pg (native)', int(options.rows), seconds(best.native), rate(perSecond(best.native))],
      ['psqlODBC (PostgreSQL Unicode)', int(options.rows), seconds(best.odbc), rate(perSecond(best.odbc))],
    ]).replace(/^/gm, '  '),
  );
  log();
  log(
    '  rows/s: from source start until every row is committed in the outbox; same table, server and pages.',
  );
  log(`figure odbc-vs-native = ${ratio(perSecond(best.odbc) / perSecond(best.native))}`);
}

process.exitCode = await benchMain(parseOptions, usage, run);
