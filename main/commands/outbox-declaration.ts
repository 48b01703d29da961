// `integration-agent outbox salvage`: its declaration (name, options, help); the work loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

/** Adds the `outbox` command group to the CLI. */
export function registerOutboxCommand(program: Command): void {
  program
    .command('outbox')
    .description('work with outbox files')
    .command('salvage <file>')
    .description(
      "re-enqueue the pending records and dead letters a damaged, quarantined or copied outbox file still holds into this agent's outbox (once per key). " +
        'Exit codes: 0 done, 1 file unreadable, 4 data directory or outbox unusable.',
    )
    .option('-d, --data-dir <dir>', 'data directory of the agent to salvage into (it may be running)')
    .option('--json', 'machine-readable report')
    .action(lazyAction(async () => (await import('./outbox-command.js')).outboxSalvageCommand));
}
