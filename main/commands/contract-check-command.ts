// `integration-agent contract check <connection> [--sample N]`: the latest records through mapping and contract, as a table.
import { openOutboxReadOnly } from '../diagnostics/bundle/open-outbox.js';
import { latestRecords } from '../outbox/latest-records.js';
import { mappingVersionField, type OutboxRecord } from '../outbox/record.js';
import { compileShaping, type Shaping } from '../shaping/shaping-preview.js';
import { CliError, exitCodes } from './cli-error.js';
import { withOutboxErrors } from './connections-command.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';

export interface ContractCheckOptions extends SetupOptions {
  sample?: string;
}

/** One row of the table. */
export interface ContractCheckRow {
  id: number;
  key: string;
  /** The mapping version the record was stored with (none: captured before the connection had a mapping). */
  storedWith: string;
  /** How it was checked: the stored source data mapped now, or the payload as stored. */
  checked: string;
  result: 'pass' | 'fail' | 'skip';
  error: string;
}

function sampleSize(value: string | undefined): number {
  if (value === undefined) return 20;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new CliError(`--sample ${value} is not a whole number between 1 and 10000`, exitCodes.failure);
  return n;
}

/**
 * Source data is what the outbox holds for records stored without a mapping and for records the mapping rejected
 * (never sent): those are mapped now. A mapped record holds its payload (what is sent): it is checked as stored.
 */
async function checkRecord(shaping: Shaping, record: OutboxRecord): Promise<ContractCheckRow> {
  const version = record.origin?.[mappingVersionField];
  const neverSent = record.state === 'dead' && record.attempts === 0;
  const row = {
    id: record.id,
    key: record.businessKey ?? record.idempotencyKey,
    storedWith: version === undefined ? '-' : `v${version}`,
  };
  if (neverSent && version === undefined)
    return { ...row, checked: 'rejected by the source', result: 'skip', error: record.lastError ?? '' };
  const payload = record.payload ?? Buffer.alloc(0);
  if (version === undefined || neverSent) {
    const preview = await shaping.preview(payload, record.contentType);
    const checked = `mapped with v${shaping.mappingVersion}`;
    if (preview.mapping.kind === 'skipped')
      return { ...row, checked, result: 'skip', error: 'the mapping filter skips it' };
    if (preview.mapping.kind === 'failed')
      return { ...row, checked, result: 'fail', error: preview.mapping.reason };
    if (preview.contract && !preview.contract.ok)
      return { ...row, checked, result: 'fail', error: preview.contract.reason };
    return { ...row, checked, result: 'pass', error: '' };
  }
  const contract = shaping.checkPayload(payload);
  const checked = 'as stored';
  return contract && !contract.ok
    ? { ...row, checked, result: 'fail', error: contract.reason }
    : { ...row, checked, result: 'pass', error: '' };
}

/** The rows as the command prints them: aligned columns, the first error last. */
export function contractCheckTable(rows: ContractCheckRow[]): string {
  const header = ['ID', 'KEY', 'STORED WITH', 'CHECKED', 'RESULT', 'FIRST ERROR'];
  const cells = rows.map((r) => [String(r.id), r.key, r.storedWith, r.checked, r.result, r.error]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((text, i) => (i === c.length - 1 ? text : text.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

/** Runs the check and returns the rows (the command prints them); throws a CliError for what cannot be checked. */
export async function contractCheck(
  connectionId: string,
  options: ContractCheckOptions,
): Promise<{ rows: ContractCheckRow[]; summary: string }> {
  const limit = sampleSize(options.sample);
  const setup = await resolveSetup(options);
  const connections = setup.config?.connections ?? [];
  const connection = connections.find((c) => c.id === connectionId);
  if (!connection)
    throw new CliError(
      `there is no connection "${connectionId}" in ${setup.configFile ?? 'the config'} (connections: ${connections.map((c) => c.id).join(', ') || 'none'}). Hint: pass --config FILE`,
      exitCodes.badConfig,
    );
  if (!connection.contract || !connection.mapping)
    throw new CliError(
      `connection "${connectionId}" has no contract to check against. Hint: add contract: { openapi: FILE-OR-URL, operation: { method: post, path: /v1/… } } ` +
        '(or { schemaFile: FILE }) to the connection, with a mapping; see docs/mapping.md',
      exitCodes.failure,
    );
  let shaping: Shaping;
  try {
    shaping = await compileShaping({ mapping: connection.mapping, contract: connection.contract });
  } catch (error) {
    throw new CliError((error as Error).message, exitCodes.failure);
  }
  const records = withOutboxErrors(() => {
    const outbox = openOutboxReadOnly(setup.dataDir);
    try {
      return latestRecords(outbox.db, connectionId, limit);
    } finally {
      outbox.close();
    }
  });
  if (records.length === 0)
    throw new CliError(
      `connection "${connectionId}" has no captured records with their data in the outbox of ${setup.dataDir}. Hint: let the agent capture some first (records compacted by retention have no data left)`,
      exitCodes.failure,
    );
  const rows: ContractCheckRow[] = [];
  for (const record of records) rows.push(await checkRecord(shaping, record));
  const count = (result: ContractCheckRow['result']) => rows.filter((r) => r.result === result).length;
  const summary = `${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped (latest ${rows.length} record${rows.length === 1 ? '' : 's'}, mapping v${shaping.mappingVersion})`;
  return { rows, summary };
}

export async function contractCheckCommand(
  connectionId: string,
  options: ContractCheckOptions,
): Promise<void> {
  const { rows, summary } = await contractCheck(connectionId, options);
  process.stdout.write(`${contractCheckTable(rows)}\n\n${summary}\n`);
  if (rows.some((r) => r.result === 'fail')) process.exitCode = exitCodes.failure;
}
