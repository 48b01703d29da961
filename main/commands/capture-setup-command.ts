// `integration-agent capture setup <connection>`: checks the logical decoding prerequisites, creates publication and slot.
import { databaseTarget } from '../../connectors/sources/database/create-source.js';
import type { PostgresLogicalSourceConfig } from '../../connectors/sources/database/logical/config.js';
import {
  checkPrerequisites,
  createPublicationAndSlot,
  setupScript,
} from '../../connectors/sources/database/logical/setup.js';
import { describeLogicalError } from '../../connectors/sources/database/logical/source.js';
import type { DatabaseClient } from '../../connectors/sources/database/database-client.js';
import { CliError, exitCodes } from './cli-error.js';
import { configuredConnection, connectionSecretsOf } from './configured-connection.js';
import type { SetupOptions } from './resolve-setup.js';

export interface CaptureSetupOptions extends SetupOptions {
  /** Print the SQL for a DBA instead of running it. */
  printSql?: boolean;
  /** Create publication and slot as this login (the checks stay about the connection's own login). */
  user?: string;
  /** With --user: the environment variable that holds that login's password. */
  passwordFromEnv?: string;
}

async function logicalSourceOf(
  connectionId: string,
  options: CaptureSetupOptions,
): Promise<{ source: PostgresLogicalSourceConfig; secrets: (name: string) => string }> {
  const configured = await configuredConnection(connectionId, options);
  const { connection } = configured;
  const source = connection.source;
  if (source.type !== 'postgres' || source.mode !== 'logical') {
    throw new CliError(
      `connection "${connectionId}" does not use logical decoding; capture setup is for sources with type: postgres ` +
        'and mode: logical (see docs/logical-decoding.md)',
      exitCodes.failure,
    );
  }
  if (options.printSql) return { source, secrets: () => '' };
  if (options.user !== undefined) {
    let password: string | undefined;
    if (options.passwordFromEnv !== undefined) {
      password = process.env[options.passwordFromEnv];
      if (password === undefined || password === '') {
        throw new CliError(
          `the environment variable ${options.passwordFromEnv} is not set or empty`,
          exitCodes.failure,
        );
      }
    }
    return { source, secrets: () => password ?? '' };
  }
  return { source, secrets: await connectionSecretsOf(configured) };
}

export async function captureSetupCommand(connectionId: string, options: CaptureSetupOptions): Promise<void> {
  const { source, secrets } = await logicalSourceOf(connectionId, options);
  if (options.printSql) {
    process.stdout.write(setupScript(source));
    return;
  }
  // The checks are about the capture login (source.user); the statements run as --user when given.
  const login =
    options.user === undefined
      ? source
      : {
          ...source,
          user: options.user,
          password: options.passwordFromEnv ? { secretRef: 'admin' } : undefined,
        };
  const target = databaseTarget(login, secrets);
  let client: DatabaseClient | undefined;
  try {
    client = await target.connect({ queryTimeoutMs: source.queryTimeoutMs, readOnly: false });
    const checks = await checkPrerequisites(client, source);
    for (const c of checks) {
      process.stdout.write(`${c.status === 'pass' ? 'ok  ' : 'FAIL'} ${c.title}: ${c.detail}\n`);
      if (c.fix) process.stdout.write(`     Fix: ${c.fix}\n`);
    }
    const failed = checks.filter((c) => c.status === 'fail');
    if (failed.length > 0) {
      throw new CliError(
        `${failed.length} prerequisite${failed.length === 1 ? '' : 's'} of logical decoding failed (${target.where}); ` +
          'nothing was created. Apply the fixes above (or run with --print-sql for your DBA), then run this again',
        exitCodes.failure,
      );
    }
    for (const line of await createPublicationAndSlot(client, source)) process.stdout.write(`${line}\n`);
    process.stdout.write(
      `Logical decoding is set up (${target.where}). Drop the slot when you remove this connection: ` +
        'see "Dropping the slot" in docs/logical-decoding.md.\n',
    );
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${target.where}: ${describeLogicalError(error)}`, exitCodes.failure);
  } finally {
    await client?.close();
  }
}
