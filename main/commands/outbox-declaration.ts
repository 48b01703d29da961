// `integration-agent outbox salvage|rotate-key`: their declarations (names, options, help); the work loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

/** Adds the `outbox` command group to the CLI. */
export function registerOutboxCommand(program: Command): void {
  const outbox = program.command('outbox').description('work with outbox files');
  outbox
    .command('salvage <file>')
    .description(
      "re-enqueue the pending records and dead letters a damaged, quarantined or copied outbox file still holds into this agent's outbox (once per key). " +
        'Exit codes: 0 done, 1 file unreadable, 4 data directory or outbox unusable.',
    )
    .option('-d, --data-dir <dir>', 'data directory of the agent to salvage into (it may be running)')
    .option('--json', 'machine-readable report')
    .action(lazyAction(async () => (await import('./outbox-command.js')).outboxSalvageCommand));
  outbox
    .command('rotate-key <connection>')
    .description(
      'with outbox.encryption on and the agent stopped: a new data key for the connection, every stored payload and answer re-sealed under it, then the old key removed from the secret store (back the secret up first). The running agent rotates from the console instead. Exit codes: 0 done, 1 not possible (the agent runs, encryption off, key missing), 2 invalid config.',
    )
    .option('-c, --config <file>', 'config file; default: config.yaml in the data directory')
    .option('-d, --data-dir <dir>', 'data directory of the agent')
    .action(lazyAction(async () => (await import('./outbox-rotate-key-command.js')).outboxRotateKeyCommand));
}
