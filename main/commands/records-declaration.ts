// `integration-agent records find`: its declaration (name, options, help); the work loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

/** Adds the `records` command group to the CLI. */
export function registerRecordsCommand(program: Command): void {
  const records = program
    .command('records')
    .description('find records in the outbox and show their timeline');
  records
    .command('find <key>')
    .description(
      'a record by business key (exact or prefix: invoice number, file name…) or idempotency key, with its timeline. ' +
        'Exit codes: 0 found, 1 not found, 4 data directory or outbox unusable.',
    )
    .option('-d, --data-dir <dir>', 'data directory of the agent (it may be running)')
    .option('--limit <n>', 'at most this many records (default 20)')
    .option('--json', 'machine-readable output')
    .action(lazyAction(async () => (await import('./records-command.js')).recordsFindCommand));
}
