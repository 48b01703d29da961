// `integration-agent diagnostics`: its declaration (name, options, help); the bundle code loads on use.
import type { Command } from 'commander';
import { defaultBundleMaxBytes, defaultBundleTimeoutMs } from '../diagnostics/bundle/bundle-limits.js';
import { lazyAction } from './lazy-action.js';

/** Adds the `diagnostics` command to the CLI. */
export function registerDiagnosticsCommand(program: Command): void {
  program
    .command('diagnostics')
    .description(
      'build the redacted support bundle (zip): status, outbox statistics, dead letters, record timelines, logs, system info; ' +
        'never secrets or payloads. Exit codes: 0 ok, 1 failure, 2 invalid config, 4 data directory unusable.',
    )
    .option('-o, --out <file>', 'write the zip here (0600, atomically)')
    .option('--preview', 'list the files with their size and a redacted sample of each')
    .option('-c, --config <file>', 'config file; default: config.yaml in the data directory')
    .option('-d, --data-dir <dir>', 'data directory of the agent (it may be running)')
    .option(
      '--max-mb <n>',
      `size limit in MiB; logs are trimmed first (default ${defaultBundleMaxBytes / 1024 / 1024})`,
    )
    .option(
      '--timeout-s <n>',
      `time limit in seconds; a slow part is skipped (default ${defaultBundleTimeoutMs / 1000})`,
    )
    .option('--doctor', "also run the network doctor against every connection's destination")
    .action(lazyAction(async () => (await import('./diagnostics-command.js')).diagnosticsCommand));
}
