// Mapping cost in records mode: one German 10-field CSV captured by an in-process folder source, plain and mapped + contract-checked.
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { ChangeBatch } from '../../connectors/core/change.js';
import { folderSourceSchema } from '../../connectors/sources/folder/config.js';
import { FolderSource } from '../../connectors/sources/folder/source.js';
import { mappingSchema } from '../../main/config/mapping-config.js';
import { ConnectionShaper } from '../../main/shaping/connection-shaper.js';
import { contractChecker } from '../../main/shaping/contract-check.js';
import { nowMs } from './measure.js';
import { CONNECTION, openBenchOutbox } from './outbox-driver.js';
import type { TempArea } from './temp-area.js';

/** The 10-field mapping of the benchmark: 5 typed conversions, 3 trims, 2 fields as they are. */
export const benchMapping = mappingSchema.parse({
  version: 1,
  convert: {
    Betrag: { type: 'number', locale: 'de-DE' },
    Bezahlt: { type: 'boolean' },
    Datum: { type: 'date', format: 'dd.MM.yyyy' },
    Faellig: { type: 'date', format: 'dd.MM.yyyy' },
    Erfasst: { type: 'datetime', format: 'dd.MM.yyyy HH:mm', zone: 'Europe/Berlin' },
  },
  expression: `{
    "invoiceNo": Rechnungsnr,
    "customerNo": $text(Kundennr),
    "customer": $text(Kunde),
    "issued": Datum,
    "due": Faellig,
    "recordedAt": Erfasst,
    "currency": Waehrung,
    "amount": Betrag,
    "paid": Bezahlt,
    "note": $text(Notiz)
  }`,
});

/** The receiving API's contract for the mapped invoice: types, formats, an enum, required fields (checked by ajv). */
export const benchContract = {
  type: 'object',
  required: ['invoiceNo', 'customerNo', 'issued', 'currency', 'amount', 'paid'],
  additionalProperties: false,
  properties: {
    invoiceNo: { type: 'string', minLength: 1 },
    customerNo: { type: 'string' },
    customer: { type: 'string' },
    issued: { type: 'string', format: 'date' },
    due: { type: 'string', format: 'date' },
    recordedAt: { type: 'string', format: 'date-time' },
    currency: { enum: ['EUR', 'USD', 'CHF'] },
    amount: { type: 'number', minimum: 0 },
    paid: { type: 'boolean' },
    note: { type: ['string', 'null'] },
  },
};

const two = (n: number) => String(n).padStart(2, '0');

/**
 * An invoice export as German office software writes it: dates that change every 1,000 rows (an export sorted by
 * date), a recording time and an amount that differ on every row, J/N flags, padded names.
 */
function germanCsv(rows: number): string {
  const lines = ['Rechnungsnr;Kundennr;Kunde;Datum;Faellig;Erfasst;Waehrung;Betrag;Bezahlt;Notiz'];
  for (let i = 0; i < rows; i++) {
    const day = Math.floor(i / 1000) % 28;
    const issued = `${two(day + 1)}.${two((Math.floor(i / 28_000) % 12) + 1)}.2024`;
    const due = `${two(((day + 14) % 28) + 1)}.${two((Math.floor(i / 28_000) % 12) + 1)}.2025`;
    const recorded = `${issued} ${two(Math.floor(i / 60) % 24)}:${two(i % 60)}`;
    const cents = (i * 7919) % 10_000_000;
    const euros = Math.floor(cents / 100);
    const amount = `${euros >= 1000 ? `${Math.floor(euros / 1000)}.${String(euros % 1000).padStart(3, '0')}` : euros},${two(cents % 100)}`;
    lines.push(
      `R-${i};K${i % 5000};Kunde ${i % 5000} GmbH ;${issued};${due};${recorded};EUR;${amount};${i % 2 ? 'J' : 'N'};${i % 10 ? 'ok' : ''}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Rows per second from the first batch handed over to the file's final checkpoint (the quiet period excluded). */
async function captureOnce(
  area: TempArea,
  name: string,
  text: string,
  rows: number,
  mapped: boolean,
): Promise<number> {
  const dir = area.dir(`${name}-inbox`);
  const file = join(dir, 'rechnungen.csv');
  writeFileSync(file, text);
  const old = new Date(Date.now() - 60_000);
  utimesSync(file, old, old);
  const outbox = openBenchOutbox(join(area.dir(`${name}-outbox`), 'outbox.db'));
  const closeOutbox = area.track(() => outbox.close());
  const logger = pino({ level: 'silent' });
  const contract = contractChecker(benchContract, 'the bench invoice schema');
  const shaper = mapped ? new ConnectionShaper(benchMapping, logger, () => undefined, contract) : undefined;
  let firstAt = 0;
  let stored = 0;
  let done: (at: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (done = resolve));
  const emit = (batch: ChangeBatch) => {
    const result = outbox.enqueue(CONNECTION, batch);
    stored += result.inserted;
    if (
      batch.checkpoints.some(
        (c) => c.value !== null && c.key.startsWith('file:') && !c.value.includes('"partial"'),
      )
    )
      done(nowMs());
    return result;
  };
  const source = new FolderSource(
    folderSourceSchema.parse({
      type: 'folder',
      path: dir,
      quietPeriodMs: 100,
      records: { format: 'csv', delimiter: ';' },
    }),
  );
  await source.start({
    emit,
    emitShaped: async (batch) => {
      if (firstAt === 0) firstAt = nowMs();
      return emit(shaper ? await shaper.shape(batch) : batch);
    },
    shapes: shaper !== undefined,
    checkpoint: (key) => outbox.checkpoint(CONNECTION, key),
    checkpoints: () => outbox.checkpoints(CONNECTION),
    logger,
    reportHealth: () => undefined,
    deliveryStates: () => new Map(),
  });
  const endAt = await finished;
  await source.stop();
  if (stored !== rows) throw new Error(`${name}: ${stored} of ${rows} rows stored`);
  if (mapped) {
    const sample = outbox.db
      .prepare('SELECT payload FROM record_payloads ORDER BY record_id LIMIT 1')
      .pluck()
      .get() as Buffer;
    if (!/"amount":\d/.test(sample.toString()) || !sample.toString().includes('"issued":"2024-01-01"'))
      throw new Error(`${name}: the mapped payload is not typed: ${sample.toString()}`);
    const refused = outbox.db.prepare("SELECT count(*) FROM records WHERE state = 'dead'").pluck().get();
    if (refused !== 0) throw new Error(`${name}: ${String(refused)} rows failed the mapping or the contract`);
  }
  closeOutbox();
  return (rows / (endAt - firstAt)) * 1000;
}

/** Plain and mapped capture of the same file, alternated three times (a shared machine is noisy): the best of each. */
export async function mappingVsPlain(
  area: TempArea,
  rows: number,
): Promise<{ plain: number; mapped: number }> {
  const text = germanCsv(rows);
  // Warm-up: the agent runs for days, so the figure is the steady state, not the first JIT compilation.
  const warmRows = Math.min(rows, 5000);
  const warm = germanCsv(warmRows);
  await captureOnce(area, 'warm-plain', warm, warmRows, false);
  await captureOnce(area, 'warm-mapped', warm, warmRows, true);
  let plain = 0;
  let mapped = 0;
  for (const round of [1, 2, 3]) {
    plain = Math.max(plain, await captureOnce(area, `plain-${round}`, text, rows, false));
    mapped = Math.max(mapped, await captureOnce(area, `mapped-${round}`, text, rows, true));
  }
  return { plain, mapped };
}
