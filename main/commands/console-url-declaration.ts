// `integration-agent console-url`: its declaration (name, options, help); the work loads on use.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';

export function registerConsoleUrlCommand(program: Command): void {
  program
    .command('console-url')
    .description('print the link that signs a browser in to the web console (keep it private)')
    .option('-c, --config <file>', 'config file (to find its dataDir)')
    .option('-d, --data-dir <dir>', 'the data directory of the agent')
    .action(lazyAction(async () => (await import('./console-url-command.js')).printConsoleUrl));
}
