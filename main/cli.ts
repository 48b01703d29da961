#!/usr/bin/env node
// The integration-agent command line (commander): run, status, config, secrets, capture. Errors print one clear line and exit non-zero.
import { Command, Option } from 'commander';
import { registerAdminCommand } from './commands/admin-command.js';
import { registerCaptureCommand } from './commands/capture-triggers-command.js';
import { CliError, exitCodes } from './commands/cli-error.js';
import { registerConsoleUrlCommand } from './commands/console-url-command.js';
import { registerConnectionsCommand } from './commands/connections-command.js';
import { registerContractCommand } from './commands/contract-check-command.js';
import { registerDiagnosticsCommand } from './commands/diagnostics-command.js';
import { registerDlqCommand } from './commands/dlq-command.js';
import { registerDoctorCommand } from './commands/doctor-command.js';
import { registerOutboxCommand } from './commands/outbox-command.js';
import {
  migrateConfigCommand,
  printSchemaCommand,
  reloadConfigCommand,
  validateConfigCommand,
} from './commands/config-command.js';
import { registerRecordsCommand } from './commands/records-command.js';
import { runAgent } from './commands/run-command.js';
import { registerSecretsCommand } from './commands/secrets-command.js';
import { printStatus } from './commands/status-command.js';
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
  .action(runAgent);

program
  .command('status')
  .description("show the running agent's state of every connection, or the outbox contents when stopped")
  .option('-d, --data-dir <dir>', 'the data directory of the agent')
  .option('--json', 'machine-readable output')
  .action(printStatus);

const config = program.command('config').description('validate, migrate and describe config files');
config
  .command('validate <file>')
  .description('check a config file and explain every problem')
  .action(validateConfigCommand);
config
  .command('migrate <file>')
  .description('upgrade a config file written for an older agent (keeps a .bak)')
  .action(migrateConfigCommand);
config
  .command('reload')
  .description(
    'make the running agent apply its edited config file now (it also notices saved edits by itself) and print its answer; ' +
      'exit codes: 0 applied or unchanged, 1 no agent, no answer or nothing to reload (the sandbox), 2 the agent refused the file (invalid config)',
  )
  .option('-c, --config <file>', 'config file; default: config.yaml in the data directory')
  .option('-d, --data-dir <dir>', 'data directory of the agent')
  .action(reloadConfigCommand);
config
  .command('print-schema')
  .description('print the JSON Schema of the config file (for editors)')
  .action(printSchemaCommand);

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
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(exitCodes.failure);
}
