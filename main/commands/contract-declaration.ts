// `integration-agent contract check`: its declaration (name, options, help); the work loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

/** Adds `contract check` to the CLI. */
export function registerContractCommand(program: Command): void {
  program
    .command('contract')
    .description("the API contract of a connection's payloads")
    .command('check <connection>')
    .description(
      'run the latest captured records through the mapping and the contract and print passes and failures; exit 1 when any fails',
    )
    .option('--sample <n>', 'how many of the latest records to check', '20')
    .option('-c, --config <file>', 'config file; default: config.yaml in the data directory')
    .option('-d, --data-dir <dir>', 'data directory')
    .action(lazyAction(async () => (await import('./contract-check-command.js')).contractCheckCommand));
}
