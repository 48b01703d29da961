// `integration-agent outbox salvage <file>`: re-enqueues what a damaged or moved outbox file still holds into this agent's outbox.
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { Outbox } from '../outbox/outbox.js';
import { salvageOutbox, type SalvageReport } from '../outbox/salvage.js';
import { outboxFile } from '../shared/data-dir.js';
import { CliError, exitCodes } from './cli-error.js';
import { supportDataDir, withOutboxErrors } from './connections-command.js';

export interface OutboxSalvageOptions {
  dataDir?: string;
  json?: boolean;
}

export function formatSalvage(report: SalvageReport): string {
  const how =
    report.method === 'query'
      ? 'the file read normally'
      : `the file is damaged (${report.problem ?? 'unreadable'}); it was read row by row`;
  const lines = [`Salvaged ${report.file}: ${how}.`];
  if (report.connections.length === 0) lines.push('  No pending records or dead letters could be read.');
  for (const c of report.connections)
    lines.push(
      `  ${c.connection}: ${c.pending} pending read, ${c.pendingEnqueued} new in this outbox; ` +
        `${c.dead} dead letters read, ${c.deadEnqueued} new`,
    );
  if (report.unreadableRows > 0) {
    const shown = report.unreadable.slice(0, 20).join(', ') + (report.unreadable.length > 20 ? ', …' : '');
    lines.push(
      `Could not read ${report.unreadableRows} rows (record ids ${shown}): they sat on damaged pages. ` +
        'Those records may have been pending; ask the source systems to send them again if they matter.',
    );
  } else lines.push('Every row of the file could be read.');
  lines.push(
    'Already known keys were skipped, so running this again adds nothing. Records go out through the connection ' +
      "with the same id in this agent's config; salvaged dead letters wait in `integration-agent dlq list`.",
  );
  return `${lines.join('\n')}\n`;
}

export function outboxSalvageCommand(file: string, options: OutboxSalvageOptions): void {
  const source = resolve(file);
  if (!existsSync(source))
    throw new CliError(
      `no file at ${source}. Hint: pass the damaged or copied outbox file`,
      exitCodes.failure,
    );
  const dataDir = supportDataDir(options.dataDir);
  const live = outboxFile(dataDir);
  if (existsSync(live) && realpathSync(live) === realpathSync(source))
    throw new CliError(
      `${source} is this agent's own outbox. Hint: salvage a quarantined or copied file into it, not itself`,
      exitCodes.failure,
    );
  const report = withOutboxErrors(() => {
    let read: SalvageReport;
    const outbox = Outbox.open(live, { synchronous: 'FULL', busyTimeoutMs: 5000 });
    try {
      read = salvageOutbox(source, outbox);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new CliError(
        `could not read ${source} as an outbox: ${message}. Hint: keep the file; nothing was changed`,
        exitCodes.failure,
      );
    } finally {
      outbox.close();
    }
    return read;
  });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatSalvage(report));
}
