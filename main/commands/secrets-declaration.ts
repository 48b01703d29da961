// `integration-agent secrets set|delete|list`: their declaration (names, options, help); the store loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

/** Adds the `secrets` command group to the CLI. */
export function registerSecretsCommand(program: Command): void {
  const secrets = program
    .command('secrets')
    .description('store, list and delete the secrets that configs reference with { secretRef: NAME }');
  const withSetupOptions = (command: Command) =>
    command
      .option(
        '-c, --config <file>',
        'config file that chooses the secret store; default: config.yaml in the data directory',
      )
      .option('-d, --data-dir <dir>', 'data directory of the agent');
  withSetupOptions(
    secrets
      .command('set <name>')
      .description(
        'store a secret; the value is read from stdin (hidden when typed), never from the command line',
      ),
  )
    .option('--from-env <var>', 'take the value from this environment variable instead of stdin')
    .action(lazyAction(async () => (await import('./secrets-command.js')).secretsSetCommand));
  withSetupOptions(secrets.command('delete <name>').description('remove a secret')).action(
    lazyAction(async () => (await import('./secrets-command.js')).secretsDeleteCommand),
  );
  withSetupOptions(
    secrets.command('list').description('print the names of the stored secrets (never their values)'),
  ).action(lazyAction(async () => (await import('./secrets-command.js')).secretsListCommand));
}
