#!/usr/bin/env node
// The integration-agent command line (commander): run, status, config, secrets, capture. Each command's code loads only when it runs. Errors print one clear line and exit non-zero.
import { Command, Option } from 'commander';
import { registerAdminCommand } from './commands/admin-declaration.js';
import { registerCaptureCommand } from './commands/capture-declaration.js';
import { CliError, exitCodes } from './commands/cli-error.js';
import { registerConsoleUrlCommand } from './commands/console-url-declaration.js';
import { registerConnectionsCommand } from './commands/connections-declaration.js';
import { registerContractCommand } from './commands/contract-declaration.js';
import { registerDiagnosticsCommand } from './commands/diagnostics-declaration.js';
import { registerDlqCommand } from './commands/dlq-declaration.js';
import { registerDoctorCommand } from './commands/doctor-declaration.js';
import { lazyAction } from './commands/lazy-action.js';
import { registerOutboxCommand } from './commands/outbox-declaration.js';
import { registerRecordsCommand } from './commands/records-declaration.js';
import { registerSecretsCommand } from './commands/secrets-declaration.js';
import { agentVersion } from './version.js';

const program = new Command()
  .name('integration-agent')
  .description(
    'Captures changes from local folders and databases and delivers them to cloud APIs, exactly once in effect.',
  )
  .version(agentVersion)
  .showHelpAfterError();

program
  .command('run')
  .description(
    'run the agent headless (as a service) until SIGINT/SIGTERM; with no config, runs the built-in sandbox',
  )
  .option('-c, --config <file>', 'config file (JSON or YAML); default: config.yaml in the data directory')
  .option('-d, --data-dir <dir>', 'where the outbox, logs and lock live')
  .addOption(
    new Option('--log-level <level>', 'override the config log level').choices([
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
    ]),
  )
  .option('--json-logs', 'also write JSON logs to stdout (for journald and the like)')
  .action(lazyAction(async () => (await import('./commands/run-command.js')).runAgent));

program
  .command('status')
  .description("show the running agent's state of every connection, or the outbox contents when stopped")
  .option('-d, --data-dir <dir>', 'the data directory of the agent')
  .option('--json', 'machine-readable output')
  .action(lazyAction(async () => (await import('./commands/status-command.js')).printStatus));

const config = program.command('config').description('validate, migrate and describe config files');
config
  .command('validate <file>')
  .description('check a config file and explain every problem')
  .action(lazyAction(async () => (await import('./commands/config-command.js')).validateConfigCommand));
config
  .command('migrate <file>')
  .description('upgrade a config file written for an older agent (keeps a .bak)')
  .action(lazyAction(async () => (await import('./commands/config-command.js')).migrateConfigCommand));
config
  .command('reload')
  .description(
    'make the running agent apply its edited config file now (it also notices saved edits by itself) and print its answer; ' +
      'exit codes: 0 applied or unchanged, 1 no agent, no answer or nothing to reload (the sandbox), 2 the agent refused the file (invalid config)',
  )
  .option('-c, --config <file>', 'config file; default: config.yaml in the data directory')
  .option('-d, --data-dir <dir>', 'data directory of the agent')
  .action(lazyAction(async () => (await import('./commands/config-command.js')).reloadConfigCommand));
config
  .command('print-schema')
  .description('print the JSON Schema of the config file (for editors)')
  .action(lazyAction(async () => (await import('./commands/config-command.js')).printSchemaCommand));

registerSecretsCommand(program);
registerDoctorCommand(program);
registerCaptureCommand(program);
registerConnectionsCommand(program);
registerDlqCommand(program);
registerContractCommand(program);
registerRecordsCommand(program);
registerDiagnosticsCommand(program);
registerAdminCommand(program);
registerConsoleUrlCommand(program);
registerOutboxCommand(program);

// `integration-agent … | head`: the reader went away; stop quietly like other command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(exitCodes.ok);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  // An outbox of another agent version (main/outbox/migrate.ts; by name, so this file stays free of the outbox code):
  // the message says what to do, a stack trace would only hide it.
  if (error instanceof Error && (error.name === 'OlderSchemaError' || error.name === 'NewerSchemaError')) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(exitCodes.dataDirUnusable);
  }
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(exitCodes.failure);
}
