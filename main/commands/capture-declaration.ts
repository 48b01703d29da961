// `integration-agent capture install-triggers|uninstall-triggers|setup`: their declaration; database code loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

/** Adds the `capture` command group to the CLI. */
export function registerCaptureCommand(program: Command): void {
  const capture = program.command('capture').description('set up database capture');
  const withOptions = (command: Command) =>
    command
      .option('-c, --config <file>', 'config file; default: config.yaml in the data directory')
      .option('-d, --data-dir <dir>', 'data directory of the agent')
      .option('--print-sql', 'print the SQL for a database administrator instead of running it')
      .option(
        '--user <login>',
        "run it as this login instead of the connection's own (which may be read-only)",
      )
      .option('--password-from-env <var>', 'with --user: the environment variable holding its password');
  withOptions(
    capture
      .command('install-triggers <connection>')
      .description(
        "create the delete-log table and the AFTER DELETE trigger for a connection's table (deletes.mode trigger)",
      ),
  ).action(lazyAction(async () => (await import('./capture-triggers-command.js')).installTriggersCommand));
  withOptions(
    capture
      .command('uninstall-triggers <connection>')
      .description('remove the delete trigger (and the log table once no other table uses it)'),
  ).action(lazyAction(async () => (await import('./capture-triggers-command.js')).uninstallTriggersCommand));
  withOptions(
    capture
      .command('setup <connection>')
      .description(
        'logical decoding (mode logical): check wal_level, the REPLICATION privilege and replica identities, then create the publication and the replication slot',
      ),
  ).action(lazyAction(async () => (await import('./capture-setup-command.js')).captureSetupCommand));
}
