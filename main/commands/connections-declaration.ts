// `integration-agent connections list`: its declaration (name, options, help); the work loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

/** Adds the `connections` command group to the CLI. */
export function registerConnectionsCommand(program: Command): void {
  const connections = program
    .command('connections')
    .description(
      'list the connections with their state and outbox counts (works with the agent running or not)',
    );
  connections
    .command('list')
    .description(
      'id, source → destination, state, pending and dead records; exit codes: 0 ok, 1 failure, 2 invalid config, 4 data directory or outbox unusable',
    )
    .option('-c, --config <file>', 'config file; default: config.yaml in the data directory')
    .option('-d, --data-dir <dir>', 'data directory of the agent')
    .option('--json', 'machine-readable output')
    .action(lazyAction(async () => (await import('./connections-command.js')).connectionsListCommand));
}
