// `integration-agent dlq list|replay|discard|remap`: their declaration (names, options, help); the work loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

const exitCodeHelp =
  'Exit codes: 0 done, 1 nothing done (no such dead letters, or not confirmed), 4 data directory or outbox unusable.';

/** The `dlq remap` subcommand's options and action. */
function declareDlqRemap(command: Command): void {
  command
    .description(
      "run the connection's current mapping again on dead letters it rejected (all of them without ids); records " +
        'that now map are queued with the new payload, records sent before are refused',
    )
    .requiredOption('--connection <id>', 'the connection whose mapping to run')
    .option('-c, --config <file>', 'config file; default: config.yaml in the data directory')
    .action(lazyAction(async () => (await import('./dlq-remap-command.js')).dlqRemapCommand));
}

/** Adds the `dlq` command group to the CLI. */
export function registerDlqCommand(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('list, replay or discard dead letters (records the destination refused for good)');
  const dataDirOption = (command: Command) =>
    command.option('-d, --data-dir <dir>', 'data directory of the agent (it may be running)');
  dataDirOption(dlq.command('list').description(`list dead letters, oldest first. ${exitCodeHelp}`))
    .option('--connection <id>', 'only this connection')
    .option('--limit <n>', 'at most this many per connection (default 100)')
    .option('--json', 'machine-readable output')
    .action(lazyAction(async () => (await import('./dlq-command.js')).dlqListCommand));
  dataDirOption(
    dlq
      .command('replay [ids...]')
      .description(`send dead letters again with their original Idempotency-Key. ${exitCodeHelp}`),
  )
    .option('--all', 'every dead letter of --connection')
    .option('--connection <id>', 'with --all: the connection')
    .action(lazyAction(async () => (await import('./dlq-command.js')).dlqReplayCommand));
  dataDirOption(
    dlq
      .command('discard <ids...>')
      .description(`give up on dead letters for good (kept for search until retention). ${exitCodeHelp}`),
  )
    .option('--yes', 'confirm: the records are never sent')
    .action(lazyAction(async () => (await import('./dlq-command.js')).dlqDiscardCommand));
  declareDlqRemap(dataDirOption(dlq.command('remap [ids...]')));
}
