// `integration-agent doctor`: its declaration (name, options, help); the network checks load on use.
import type { Command } from 'commander';
import { defaultCheckTimeoutMs } from '../../connectors/core/connector.js';
import { lazyAction } from './lazy-action.js';

/** Shown under `doctor --help`. */
export const doctorExitCodes =
  'Exit codes: 0 no check failed (warnings allowed), 1 a check failed (or the command could not run), 2 invalid config.';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds `doctor` to the CLI. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor [connection]')
    .description(
      'check the network path to HTTP destinations (all enabled connections, or one by id): DNS, TCP, proxy CONNECT, ' +
        'TLS and interception, certificate expiry, clock skew, OAuth token, and an OPTIONS request that sends no record',
    )
    .addHelpText('after', `\n${doctorExitCodes}`)
    .option('-c, --config <file>', 'config file; default: config.yaml in the data directory')
    .option('-d, --data-dir <dir>', 'data directory of the agent')
    .option('--json', 'machine-readable output: { overall, reports: DoctorReport[] }')
    .option(
      '--dry-run',
      'send the configured method with an EMPTY batch (json-array / ndjson only) and a synthetic Idempotency-Key "doctor-<random>" instead of OPTIONS; the server receives that request',
    )
    .option('--timeout <ms>', `limit of each network step (default ${defaultCheckTimeoutMs})`)
    .option(
      '--expect-issuer <sha256>',
      'SHA-256 fingerprint of a certificate the chain must contain (repeatable); anything else counts as TLS interception',
      collect,
    )
    .action(lazyAction(async () => (await import('./doctor-command.js')).doctorCommand));
}
