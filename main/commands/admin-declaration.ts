// `integration-agent admin …`: the declaration (names, options, help) of the admin commands; their work loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

/** Adds the `admin` command group to the CLI. */
export function registerAdminCommand(program: Command): void {
  const admin = program
    .command('admin')
    .description('manage admin access to the desktop app and web console');
  admin
    .command('set-passphrase')
    .description(
      'set the passphrase that unlocks admin mode (config changes, replay, secrets); read from stdin, never from the command line',
    )
    .option('-c, --config <file>', 'config file naming the data directory')
    .option('-d, --data-dir <dir>', 'data directory of the agent')
    .action(lazyAction(async () => (await import('./admin-command.js')).setPassphraseCommand));
}
