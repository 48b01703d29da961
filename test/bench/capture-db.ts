// Database capture benchmark: PostgreSQL and MariaDB polling rows/s into a durable outbox, and the CPU of an idle poll.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { ChangeBatch } from '../../connectors/core/change.js';
import { createDatabaseSource } from '../../connectors/sources/database/create-source.js';
import { Outbox } from '../../main/outbox/outbox.js';
import { parseSource } from '../support/database-capture.js';
import { startMariaDb } from '../support/mariadb-server.js';
import { startPostgres } from '../support/postgres-server.js';
import { benchMain, loadAverage } from './bench-main.js';
import { parseCount } from './bench-options.js';
import { int, ms, rate, seconds, table } from './format.js';
import { nowMs } from './measure.js';
import type { TempArea } from './temp-area.js';

interface DbBenchOptions {
  rows: number;
  batchSize: number;
  idleSeconds: number;
  tmpBase: string;
}

const usage = `Usage: node --import tsx test/bench/capture-db.ts [options]

  --rows N        rows in each table            (default 200k, quick 20k; env DB_BENCH_ROWS)
  --batch N       rows per page (batchSize)     (default 500)
  --idle S        seconds of idle polling       (default 10, quick 3)
  --quick         smoke run                     (env DB_BENCH_QUICK=1)
  --tmp DIR       where the outboxes go         (default os.tmpdir())
  --help          this text`;

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): DbBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      batch: { type: 'string' },
      idle: { type: 'string' },
      quick: { type: 'boolean' },
      tmp: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? ['1', 'true', 'yes'].includes((env.DB_BENCH_QUICK ?? '').toLowerCase());
  const rowsText = values.rows ?? env.DB_BENCH_ROWS;
  return {
    rows: rowsText ? parseCount(rowsText, 'rows') : quick ? 20_000 : 200_000,
    batchSize: values.batch ? parseCount(values.batch, 'batch') : 500,
    idleSeconds: values.idle ? parseCount(values.idle, 'idle') : quick ? 3 : 10,
    tmpBase: values.tmp ?? tmpdir(),
  };
}

interface Figures {
  database: string;
  rows: number;
  captureMs: number;
  idlePolls: number;
  idleCpuMs: number;
}

const idlePollMs = 100;
const overlapMs = 1000;

/** Captures `rows` rows into a fresh outbox (synchronous FULL, as shipped), then polls an idle table. */
async function measure(
  database: string,
  source: Record<string, unknown>,
  password: string,
  options: DbBenchOptions,
  outboxFile: string,
): Promise<Figures> {
  const outbox = Outbox.open(outboxFile, { synchronous: 'FULL', busyTimeoutMs: 5000 });
  const db = createDatabaseSource(
    parseSource({ ...source, batchSize: options.batchSize, pollIntervalMs: idlePollMs }),
    () => password,
  );
  let stored = 0;
  let caughtUpAt = 0;
  const started = nowMs();
  const emit = (batch: ChangeBatch) => {
    const result = outbox.enqueue('bench', batch);
    stored += result.inserted;
    if (stored === options.rows && caughtUpAt === 0) caughtUpAt = nowMs();
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
  while (caughtUpAt === 0) {
    const health = db.health();
    if (health.state === 'degraded') throw new Error(`${database}: ${health.detail ?? 'degraded'}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Idle: the table no longer changes; past the quiet period (2 × overlapMs) each poll is one indexed query that
  // returns nothing.
  await new Promise((resolve) => setTimeout(resolve, 2 * overlapMs + 500));
  const cpuBefore = process.cpuUsage();
  const idleStart = nowMs();
  await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
  const cpu = process.cpuUsage(cpuBefore);
  const idleMs = nowMs() - idleStart;
  await db.stop();
  outbox.close();
  return {
    database,
    rows: stored,
    captureMs: caughtUpAt - started,
    idlePolls: Math.round(idleMs / idlePollMs),
    idleCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function run(options: DbBenchOptions, area: TempArea): Promise<void> {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  log(`Database capture benchmark (${process.version}); load average (1/5/15 min): ${loadAverage()}`);
  log(`  ${int(options.rows)} rows per table, batchSize ${options.batchSize}, outbox synchronous=FULL`);
  const figures: Figures[] = [];
  const pg = await startPostgres();
  try {
    await pg.query(`CREATE TABLE bench (id bigint PRIMARY KEY, customer text, amount numeric(12, 2), note text,
      updated_at timestamptz NOT NULL)`);
    await pg.query('CREATE INDEX bench_changes ON bench (updated_at, id)');
    await pg.query(
      `INSERT INTO bench SELECT g, 'Customer ' || (g % 5000), (g % 99999) / 100.0, 'ok',
       now() - interval '1 hour' + g * interval '1 millisecond' FROM generate_series(1, $1) g`,
      [options.rows],
    );
    await pg.query('VACUUM ANALYZE bench');
    const source = {
      type: 'postgres',
      host: pg.host,
      port: pg.port,
      database: pg.database,
      user: pg.user,
      password: { secretRef: 'pg' },
      table: 'bench',
      watermark: { column: 'updated_at' },
      primaryKey: ['id'],
      overlapMs,
    };
    figures.push(
      await measure('PostgreSQL 15', source, pg.password, options, join(area.dir('pg'), 'outbox.db')),
    );
  } finally {
    await pg.stop();
  }
  const maria = await startMariaDb();
  try {
    await maria.query(`CREATE TABLE bench (id BIGINT PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(12, 2),
      note VARCHAR(20), updated_at DATETIME(6) NOT NULL, KEY changes (updated_at, id))`);
    for (let start = 1; start <= options.rows; start += 100_000) {
      const end = Math.min(options.rows, start + 99_999);
      await maria.query(
        `INSERT INTO bench SELECT seq, CONCAT('Customer ', seq % 5000), (seq % 99999) / 100, 'ok',
         NOW(6) - INTERVAL 1 HOUR + INTERVAL seq * 1000 MICROSECOND FROM seq_${start}_to_${end}`,
      );
    }
    const source = {
      type: 'mysql',
      host: maria.host,
      port: maria.port,
      database: maria.database,
      user: maria.user,
      password: { secretRef: 'maria' },
      table: 'bench',
      watermark: { column: 'updated_at' },
      primaryKey: ['id'],
      overlapMs,
    };
    figures.push(
      await measure('MariaDB 10.11', source, maria.password, options, join(area.dir('maria'), 'outbox.db')),
    );
  } finally {
    await maria.stop();
  }
  log();
  log(
    table([
      ['database', 'rows', 'capture time', 'rows/s', 'idle polls', 'agent CPU per idle poll'],
      ...figures.map((f) => [
        f.database,
        int(f.rows),
        seconds(f.captureMs),
        rate((f.rows / f.captureMs) * 1000),
        int(f.idlePolls),
        ms(f.idleCpuMs / f.idlePolls),
      ]),
    ]).replace(/^/gm, '  '),
  );
  log();
  log(
    '  rows/s: from source start until every row is committed in the outbox (keyset pages, one transaction each).',
  );
  log(
    `  idle poll: agent-process CPU (user + system) over ${options.idleSeconds} s of polling every ${idlePollMs} ms an unchanged table, divided by the polls; the database's own CPU is not included.`,
  );
}

process.exitCode = await benchMain(parseOptions, usage, run);
